// Entry of a plugin worker thread: compiles the models it is sent, one at a time, off the bundler's thread
// (built to dist/pluginWorker.js; run from source through pluginWorkerSource.mjs).

import { workerLoop } from "../bundle/workerLoop.ts";
import { compileModel } from "./compileModel.ts";

workerLoop("plugin", compileModel);
