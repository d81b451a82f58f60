// Entry of a bundle worker thread: compiles the chunks it is sent, one at a time
// (built to dist/bundleWorker.js; run from source through workerSource.mjs).

import { parentPort } from "node:worker_threads";
import { CompileError } from "../errors.ts";
import { compileChunk, type ChunkTask } from "./compileChunk.ts";

export interface WorkerError {
  compileError?: { code: CompileError["code"]; message: string; location: CompileError["location"]; hint?: string };
  message: string;
}

if (!parentPort) throw new Error("modelc: bundle worker started outside a worker thread");
const port = parentPort;
port.on("message", async (msg: { id: number; task: ChunkTask }) => {
  try {
    port.postMessage({ id: msg.id, ok: true, result: await compileChunk(msg.task) });
  } catch (e) {
    const error: WorkerError =
      e instanceof CompileError
        ? { compileError: { code: e.code, message: e.message, location: e.location, hint: e.hint }, message: e.message }
        : { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage({ id: msg.id, ok: false, error });
  }
});
