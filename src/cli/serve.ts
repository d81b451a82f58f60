// `modelc serve <bundle-dir>`: its options, checked and handed to the prediction server's processes
// (src/serve/cluster.ts: one per core by default).

import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { Option, type Command } from "commander";
import { CompileError } from "../errors.ts";
import { DEFAULT_HTTP_LIMITS } from "../serve/httpLimits.ts";

export interface ServeCliOptions {
  port: string;
  host: string;
  grpcPort?: string;
  workers?: string;
  config?: string;
  pin?: string[];
  maxBody: string;
  watch: boolean;
  batching: boolean;
  headersTimeout?: string;
  requestTimeout?: string;
  keepAliveTimeout?: string;
  maxConnections?: string;
}

function parseCount(flag: string, s: string | undefined, min: number): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min) throw new CompileError("E_USAGE", `${flag} expects a whole number ≥ ${min}, got ${JSON.stringify(s)}`);
  return n;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(s.trim());
  if (!m) throw new CompileError("E_USAGE", `--max-body expects a size such as 8mb or 65536, got ${JSON.stringify(s)}`);
  const mult = { b: 1, k: 1024, kb: 1024, m: 1 << 20, mb: 1 << 20, g: 1 << 30, gb: 1 << 30 }[(m[2] ?? "b").toLowerCase()]!;
  return Math.floor(Number(m[1]) * mult);
}

function parsePins(list: string[] | undefined): Record<string, string> {
  // no prototype: a model may be named __proto__ or constructor
  const pins: Record<string, string> = Object.create(null);
  for (const p of list ?? []) {
    const m = /^(.+)@(\d+)$/.exec(p);
    if (!m) throw new CompileError("E_USAGE", `--pin expects NAME@VERSION, got ${JSON.stringify(p)}`);
    pins[m[1]!] = String(BigInt(m[2]!));
  }
  return pins;
}

export async function runServe(dir: string, opts: ServeCliOptions): Promise<number> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CompileError("E_USAGE", `--port expects 0..65535, got ${JSON.stringify(opts.port)}`);
  const grpcPort = opts.grpcPort === undefined ? undefined : Number(opts.grpcPort);
  if (grpcPort !== undefined && (!Number.isInteger(grpcPort) || grpcPort < 0 || grpcPort > 65535))
    throw new CompileError("E_USAGE", `--grpc-port expects 0..65535, got ${JSON.stringify(opts.grpcPort)}`);
  const maxBodyBytes = parseSize(opts.maxBody);
  const pins = parsePins(opts.pin);
  const workers = opts.workers === undefined ? availableParallelism() : Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 1) throw new CompileError("E_USAGE", `--workers expects a whole number ≥ 1, got ${JSON.stringify(opts.workers)}`);
  const bundleDir = resolve(dir);
  if (!existsSync(join(bundleDir, "manifest.json")))
    throw new CompileError("E_IO", "no manifest.json here: not a modelc bundle", { file: dir }, "build one with `modelc bundle <models> -o <dir>`");
  const configFile = opts.config ? resolve(opts.config) : undefined;
  return (await import("../serve/cluster.ts")).serveProcesses({
    bundleDir,
    configFile,
    pins,
    maxBodyBytes,
    port,
    grpcPort,
    host: opts.host,
    workers,
    watch: opts.watch,
    batching: opts.batching,
    http: {
      headersTimeoutMs: parseCount("--headers-timeout", opts.headersTimeout, 1),
      requestTimeoutMs: parseCount("--request-timeout", opts.requestTimeout, 1),
      keepAliveTimeoutMs: parseCount("--keep-alive-timeout", opts.keepAliveTimeout, 0),
      maxConnections: parseCount("--max-connections", opts.maxConnections, 1),
    },
  });
}

export function defineServeCommand(cmd: Command, setExitCode: (code: number) => void): Command {
  return cmd
    .description(
      "serve a bundle over HTTP with TensorFlow Serving's REST API (predict, status, metadata, /metrics, /healthz) and the Open Inference Protocol (KServe v2: REST under /v2, gRPC with --grpc-port)",
    )
    .argument("<bundle-dir>", "a folder built by `modelc bundle`")
    .option("-p, --port <port>", "TCP port (0: any free port)", "8501")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--grpc-port <port>", "also serve the Open Inference Protocol's gRPC API on this port (off by default; KServe and Triton use 8081/8001)")
    .option("-w, --workers <n>", "processes serving (default: one per core)")
    .option("--config <file>", 'pins, re-read on change: {"models": {"<name>": {"version": "<v>"}}}')
    .option("--pin <name@version>", "serve this version by default (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option("--max-body <size>", "largest request body", "8mb")
    .option("--headers-timeout <ms>", `time a client has to send its request headers (default ${DEFAULT_HTTP_LIMITS.headersTimeoutMs})`)
    .option("--request-timeout <ms>", `time a client has to send its whole request (default ${DEFAULT_HTTP_LIMITS.requestTimeoutMs})`)
    .option("--keep-alive-timeout <ms>", `idle keep-alive connections close after this (default ${DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs})`)
    .option("--max-connections <n>", `open connections per process (default ${DEFAULT_HTTP_LIMITS.maxConnections})`)
    .addOption(new Option("--no-watch", "do not watch the bundle folder and config (reload on SIGHUP only)"))
    .addOption(new Option("--no-batching", "predict each request on its own (default: requests that arrive together share one batch call)"))
    .action(async (dir: string, opts: ServeCliOptions) => {
      setExitCode(await runServe(dir, opts));
    });
}
