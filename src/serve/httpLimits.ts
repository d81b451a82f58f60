// The HTTP server's timeouts and limits (`modelc serve --headers-timeout … --max-connections …`), and
// the answer to what Node's parser rejects before a request exists (bad request line, headers too
// large, a client too slow to send its headers): JSON like every other error, not an empty body.

import { STATUS_CODES, type Server, type ServerOptions } from "node:http";
import type { Socket } from "node:net";

export interface HttpLimits {
  /** a client must send its whole request head within this time (ms) */
  headersTimeoutMs: number;
  /** and its whole request, body included, within this time (ms) */
  requestTimeoutMs: number;
  /** an idle keep-alive connection is closed after this time (ms) */
  keepAliveTimeoutMs: number;
  /** how often the two timeouts above are checked (ms): a slow client is cut within timeout + this */
  checkIntervalMs: number;
  /** open connections per process; more are closed as they arrive */
  maxConnections: number;
  /** largest request head (request line and headers, bytes): larger gets 431 */
  maxHeaderBytes: number;
}

export const DEFAULT_HTTP_LIMITS: Readonly<HttpLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 4_096,
  maxHeaderBytes: 16_384,
};

export function httpLimits(given: Partial<HttpLimits> = {}): HttpLimits {
  const l = { ...DEFAULT_HTTP_LIMITS };
  for (const k of Object.keys(given) as (keyof HttpLimits)[]) if (given[k] !== undefined) l[k] = given[k]!;
  return l;
}

/** Options for http.createServer (the check interval can only be given there). */
export function httpServerOptions(l: HttpLimits): ServerOptions {
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: l.checkIntervalMs,
    maxHeaderSize: l.maxHeaderBytes,
  };
}

/** maxConnections, and JSON answers to the errors Node's parser answers itself. */
export function applyHttpLimits(server: Server, l: HttpLimits): void {
  server.maxConnections = l.maxConnections;
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    const code = err.code ?? "";
    if (code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, error] =
      code === "HPE_HEADER_OVERFLOW"
        ? [431, `request headers over ${l.maxHeaderBytes} bytes`]
        : code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, `request not received within ${l.headersTimeoutMs} ms (headers) / ${l.requestTimeoutMs} ms (whole request)`]
          : [400, `bad request (${code || err.message})`];
    const body = JSON.stringify({ error });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
}
