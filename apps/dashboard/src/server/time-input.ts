/** The span PostgreSQL's timestamp and JavaScript's Date both hold the same way; outside it a query fails (year 0) instead of matching nothing. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** Whether a time given as input lies where it can be compared with stored times. */
export const storableTime = (text: string) => {
  const t = Date.parse(text);
  return t >= EARLIEST && t <= LATEST;
};
