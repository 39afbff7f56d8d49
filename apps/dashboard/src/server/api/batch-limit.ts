/**
 * The most calls one request to the dashboard's API may batch: a page asks for a
 * handful at once, and a batch of hundreds (each building a topology) would hold the
 * server for everyone. The browser's client splits its batches at this size. No
 * imports: the browser's bundle takes this file.
 */
export const MAX_BATCH_SIZE = 16;
