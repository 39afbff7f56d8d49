export interface RawOddity {
  name: string;
  bytes: string | Buffer;
  /** Whether any status will do: a lenient parser may take it as a plain request (Node reads a line without a version as HTTP/0.9). */
  anyStatus?: boolean;
}

/**
 * Requests no well-behaved client sends, to a tRPC API under `base` (e.g. "/trpc") with a
 * public `query` and a `mutation`: a server must answer each with a status line, not a
 * reset, and refuse (4xx) all but those marked `anyStatus`.
 */
export const rawOddities = ({ base, query, mutation }: { base: string; query: string; mutation: string }): readonly RawOddity[] => [
  { name: "garbage instead of a request line", bytes: "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n" },
  { name: "a request line without a version", bytes: `GET ${base}/${query}\r\n\r\n`, anyStatus: true },
  { name: "an unknown HTTP version", bytes: `GET ${base}/${query} HTTP/9.9\r\nhost: x\r\n\r\n` },
  { name: "a header without a colon", bytes: `GET ${base}/${query} HTTP/1.1\r\nhost x\r\n\r\n` },
  { name: "a 100 KB header", bytes: `GET ${base}/${query} HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(100_000)}\r\n\r\n` },
  { name: "both Content-Length and Transfer-Encoding", bytes: `POST ${base}/${mutation} HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n` },
  { name: "a negative Content-Length", bytes: `POST ${base}/${mutation} HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n` },
  { name: "a bad chunk size", bytes: `POST ${base}/${mutation} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n` },
  { name: "a NUL in the path", bytes: `GET ${base}/${query}\x00x HTTP/1.1\r\nhost: x\r\n\r\n` },
  { name: "an unknown method", bytes: `BREW ${base}/${query} HTTP/1.1\r\nhost: x\r\n\r\n` },
  { name: "a body of bad JSON", bytes: `POST ${base}/${mutation} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\n{"input":` },
  { name: "a body larger than any input", bytes: `POST ${base}/${mutation} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${2 * 1024 * 1024}\r\n\r\n${"[".repeat(2 * 1024 * 1024)}` },
  { name: "a path outside the API", bytes: "GET /../../etc/passwd HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n" },
  { name: "an unknown procedure", bytes: `GET ${base}/__proto__ HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n` },
  { name: "a batch of 300 calls without a token", bytes: `GET ${base}/${Array.from({ length: 300 }, () => query).join(",")}?batch=1 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n` },
];
