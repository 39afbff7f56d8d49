/** An agent's answer grew past what the caller accepts: the rest was not read. */
export class AnswerTooLargeError extends Error {
  override name = "AnswerTooLargeError";
}

/**
 * The same response, whose body fails with AnswerTooLargeError once more than
 * `maxBytes` have arrived (or at once, when Content-Length says so), so a huge or
 * endless answer never sits whole in the caller's memory.
 */
export function boundedResponse(response: Response, maxBytes: number, what: string): Response {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  const tooLarge = () => new AnswerTooLargeError(`${what}: the answer is larger than ${maxBytes} bytes; refused (raise the bound if the node is that large)`);
  if (declared > maxBytes) {
    void response.body?.cancel();
    throw tooLarge();
  }
  // A declared length bounds the body (the HTTP parser reads no more than it): nothing to count.
  if (!response.body || declared <= maxBytes) return response;
  let seen = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}
