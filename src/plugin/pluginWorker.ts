// Entry of a plugin worker thread: compiles the models it is sent, one at a time, off the bundler's thread
// (built to dist/pluginWorker.js; run from source through pluginWorkerSource.mjs).

import { parentPort } from "node:worker_threads";
import { CompileError } from "../errors.ts";
import type { WorkerError } from "../bundle/worker.ts";
import { compileModel, type ModelTask } from "./compileModel.ts";

if (!parentPort) throw new Error("modelc: plugin worker started outside a worker thread");
const port = parentPort;
port.on("message", async (msg: { id: number; task: ModelTask }) => {
  try {
    port.postMessage({ id: msg.id, ok: true, result: await compileModel(msg.task) });
  } catch (e) {
    const error: WorkerError =
      e instanceof CompileError
        ? { compileError: { code: e.code, message: e.message, location: e.location, hint: e.hint }, message: e.message }
        : { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage({ id: msg.id, ok: false, error });
  }
});
