import { maxHeaderSize } from "node:http";
import type { Duplex } from "node:stream";

/** The status lines for what node's HTTP parser refuses; anything else it refuses is a 400. */
const STATUS_BY_CODE: Record<string, [status: string, reason: string]> = {
  HPE_HEADER_OVERFLOW: ["431 Request Header Fields Too Large", `the request's headers are larger than ${maxHeaderSize} bytes`],
  ERR_HTTP_REQUEST_TIMEOUT: ["408 Request Timeout", "the request did not arrive in time"],
};

/**
 * Answers a request that node's HTTP parser refused, then closes the connection:
 * a reset socket tells a client, or a proxy in front of the agent, nothing.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason] = STATUS_BY_CODE[error.code ?? ""] ?? ["400 Bad Request", "the request is not valid HTTP/1.1"];
  const body = `${reason} (${error.code ?? error.message})\n`;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, () => socket.destroy());
}
