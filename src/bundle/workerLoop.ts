// The message loop of a compile worker thread (bundle and plugin workers): one task at a time, the result
// or the error sent back with the task's id; a CompileError keeps its code, location and hint.

import { parentPort } from "node:worker_threads";
import { CompileError } from "../errors.ts";

export interface WorkerError {
  compileError?: { code: CompileError["code"]; message: string; location: CompileError["location"]; hint?: string };
  message: string;
}

export function workerLoop<T, R>(what: string, run: (task: T) => Promise<R>): void {
  if (!parentPort) throw new Error(`modelc: ${what} worker started outside a worker thread`);
  const port = parentPort;
  port.on("message", async (msg: { id: number; task: T }) => {
    try {
      port.postMessage({ id: msg.id, ok: true, result: await run(msg.task) });
    } catch (e) {
      const error: WorkerError =
        e instanceof CompileError
          ? { compileError: { code: e.code, message: e.message, location: e.location, hint: e.hint }, message: e.message }
          : { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      port.postMessage({ id: msg.id, ok: false, error });
    }
  });
}
