// Request bodies under a size limit: a promise for the general path, shared callbacks for the fast one.

import type { IncomingMessage } from "node:http";
import { HttpError } from "./predict.ts";

/** Where the fast reader collects one request's body. */
export interface BodyState {
  first: Buffer | undefined;
  parts: Buffer[] | undefined;
  size: number;
}

const BODY = Symbol("modelc.body");
type ReadingReq<S extends BodyState> = IncomingMessage & { [BODY]?: S };

/**
 * The fast path's body reader: `read(req, state)` collects the body into `state`, then calls
 * `done(state, body)` (undefined for an empty body). A body over `maxBody` is answered at once
 * through `tooLarge` and drained. The listeners are made once, here; each request carries its
 * state on the request object.
 */
export function bodyReader<S extends BodyState>(maxBody: number, done: (s: S, body: Buffer | undefined) => void, tooLarge: (s: S, e: HttpError) => void) {
  function onData(this: ReadingReq<S>, chunk: Buffer) {
    const s = this[BODY]!;
    s.size += chunk.length;
    if (s.first === undefined) s.first = chunk;
    else (s.parts ??= [s.first]).push(chunk);
    if (s.size > maxBody) {
      // a chunked body: the declared length was checked before reading
      this.removeListener("data", onData);
      this.removeListener("end", onEnd);
      s.first = s.parts = undefined;
      tooLarge(s, refuseTooLarge(this, maxBody));
    }
  }
  function onEnd(this: ReadingReq<S>) {
    const s = this[BODY]!;
    this[BODY] = undefined;
    const buf = s.parts ? Buffer.concat(s.parts, s.size) : s.first;
    s.first = s.parts = undefined;
    done(s, buf);
  }
  return (req: IncomingMessage, state: S): void => {
    (req as ReadingReq<S>)[BODY] = state;
    req.on("data", onData);
    req.on("end", onEnd);
  };
}

/** The general path's body as text, or rejects with a 413 past `maxBody`. */
export function readBodyText(req: IncomingMessage, maxBody: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  return new Promise((resolve, reject) => {
    if (Number.isFinite(declared) && declared > maxBody) return reject(refuseTooLarge(req, maxBody));
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > maxBody) {
        over = true;
        reject(refuseTooLarge(req, maxBody));
        return;
      }
      parts.push(c);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (!over) resolve(Buffer.concat(parts, size).toString("utf8"));
    });
  });
}

/** The 413 for a body over the limit; the rest of the body is read and dropped (up to a bound) so the client can read the answer. */
function refuseTooLarge(req: IncomingMessage, maxBody: number): HttpError {
  let drained = 0;
  req.removeAllListeners("data");
  req.on("data", (c: Buffer) => {
    drained += c.length;
    if (drained > 4 * maxBody) req.destroy();
  });
  req.resume();
  return new HttpError(413, `request body over the limit of ${maxBody} bytes`);
}
