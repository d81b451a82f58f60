// Entry of a bundle worker thread: compiles the chunks it is sent, one at a time
// (built to dist/bundleWorker.js; run from source through workerSource.mjs).

import { compileChunk } from "./compileChunk.ts";
import { workerLoop } from "./workerLoop.ts";

export type { WorkerError } from "./workerLoop.ts";

workerLoop("bundle", compileChunk);
