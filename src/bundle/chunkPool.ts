// A fixed-size pool of worker threads compiling chunks, one model per worker at a time, so memory
// stays bounded by (workers × one model) however many models a bundle has.

import { Worker } from "node:worker_threads";
import { CompileError } from "../errors.ts";
import type { ChunkResult, ChunkTask } from "./compileChunk.ts";
import type { WorkerError } from "./workerLoop.ts";

/** The worker entry: dist/bundleWorker.js beside the built CLI, or the TypeScript source via tsx. */
export function workerUrl(): URL {
  const here = import.meta.url;
  return /\.[cm]?ts$/.test(new URL(here).pathname) ? new URL("./workerSource.mjs", here) : new URL("./bundleWorker.js", here);
}

interface Job<T, R> {
  task: T;
  onStart?: () => void;
  resolve(r: R): void;
  reject(e: Error): void;
}

/** Tasks name their model file (for errors); the plugin's pool runs its own tasks on its own worker entry. */
export class ChunkPool<T extends { file: string } = ChunkTask, R = ChunkResult> {
  private readonly idle: Worker[] = [];
  private readonly workers = new Set<Worker>();
  private readonly busy = new Map<Worker, Job<T, R>>();
  private readonly queue: Job<T, R>[] = [];
  private closed = false;

  constructor(
    readonly size: number,
    private readonly url: URL = workerUrl(),
  ) {}

  /** Compiles one chunk on the next free worker; `onStart` runs when a worker takes it. */
  compile(task: T, onStart?: () => void): Promise<R> {
    if (this.closed) return Promise.reject(new Error("modelc: chunk pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, onStart, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker (running jobs are abandoned) and rejects queued jobs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error("modelc: build stopped"));
    await Promise.all([...this.workers].map((w) => w.terminate()));
  }

  private pump(): void {
    while (this.queue.length && !this.closed) {
      const w = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
      if (!w) return;
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      w.postMessage({ id: 0, task: job.task });
      job.onStart?.();
    }
  }

  private spawn(): Worker {
    const w = new Worker(this.url);
    let failure: Error | undefined;
    this.workers.add(w);
    w.on("message", (m: { ok: true; result: R } | { ok: false; error: WorkerError }) => {
      const job = this.busy.get(w);
      this.busy.delete(w);
      this.idle.push(w);
      if (job) {
        if (m.ok) job.resolve(m.result);
        else job.reject(toError(m.error, job.task.file));
      }
      // after the caller has seen this job end, so its next job's onStart comes second
      setImmediate(() => this.pump());
    });
    w.on("error", (e) => {
      failure = e;
    });
    w.on("exit", (code) => {
      this.workers.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      const job = this.busy.get(w);
      this.busy.delete(w);
      if (job && !this.closed) job.reject(crashError(failure, code, job.task.file));
      this.pump();
    });
    return w;
  }
}

function toError(e: WorkerError, file: string): Error {
  if (e.compileError) {
    const c = e.compileError;
    return new CompileError(c.code, c.message, c.location, c.hint).inFile(file);
  }
  return new Error(e.message);
}

function crashError(e: Error | undefined, code: number, file: string): Error {
  if ((e as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY")
    return new CompileError(
      "E_LIMIT",
      "out of memory while compiling this model",
      { file },
      "try --jobs 1, or give Node more memory with NODE_OPTIONS=--max-old-space-size=MB",
    );
  // one line, as any other failed model: the worker's own message may span lines
  const why = e ? (e.message.split("\n")[0] ?? "").slice(0, 200) : `exit code ${code}`;
  return new CompileError("E_LIMIT", `the bundle worker compiling this model stopped (${why})`, { file }, "compile it alone with modelc compile to see why");
}
