// Test helper: evaluates this machine's glibc libm (exp, log, log1p, expf, logf, fma) through the small C oracle
// test/math/libm_ref.c, compiled once with gcc and cached in .cache/.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const SOURCE = join(HERE, "libm_ref.c");

/** GLIBC_TUNABLES value that masks FMA/AVX2 so the ifuncs pick the SSE2 (non-FMA) variants (glibc >= 2.33 names). */
export const NO_FMA_TUNABLES = "glibc.cpu.hwcaps=-AVX2,-FMA";

export type LibmFn64 = "exp" | "log" | "log1p";
export type LibmFn32 = "expf" | "logf";

export interface LibmOptions {
  /** Run with the FMA/AVX2 hardware capabilities masked, i.e. glibc's non-FMA code paths. */
  noFma?: boolean;
}

let cachedBinary: string | undefined;

/** Path of the compiled oracle (compiles on first use; the cache key is the hash of the C source). */
export function libmBinary(): string {
  if (cachedBinary) return cachedBinary;
  const src = readFileSync(SOURCE);
  const hash = createHash("sha256").update(src).digest("hex").slice(0, 16);
  const dir = join(ROOT, ".cache");
  const bin = join(dir, `libm_ref-${hash}`);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    execFileSync("gcc", ["-O2", "-fno-builtin", "-o", tmp, SOURCE, "-lm"], { stdio: "inherit" });
    renameSync(tmp, bin); // atomic: parallel test workers may race here
  }
  cachedBinary = bin;
  return bin;
}

function env(opts?: LibmOptions): NodeJS.ProcessEnv {
  const e = { ...process.env };
  if (opts?.noFma) e.GLIBC_TUNABLES = NO_FMA_TUNABLES;
  else delete e.GLIBC_TUNABLES;
  return e;
}

function run(args: string[], input: Uint8Array, outBytes: number, opts?: LibmOptions): Buffer {
  const res = spawnSync(libmBinary(), args, { input, env: env(opts), maxBuffer: outBytes + 1024 });
  if (res.status !== 0) throw new Error(`libm_ref ${args.join(" ")} failed: ${res.status} ${res.stderr?.toString()}`);
  if (res.stdout.length !== outBytes) throw new Error(`libm_ref ${args.join(" ")}: expected ${outBytes} bytes, got ${res.stdout.length}`);
  return res.stdout;
}

function bytes(a: Float64Array | Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** glibc exp/log/log1p on every element (float64 in, float64 out). */
export function libm64(fn: LibmFn64, xs: Float64Array, opts?: LibmOptions): Float64Array {
  const out = run([fn], bytes(xs), xs.byteLength, opts);
  return new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

/** glibc expf/logf on every element (float32 in, float32 out). */
export function libm32(fn: LibmFn32, xs: Float32Array, opts?: LibmOptions): Float32Array {
  const out = run([fn], bytes(xs), xs.byteLength, opts);
  return new Float32Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

/** C fma(a[i], b[i], c[i]) from libm. */
export function libmFma(a: Float64Array, b: Float64Array, c: Float64Array, opts?: LibmOptions): Float64Array {
  const n = a.length;
  const xs = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    xs[3 * i] = a[i]!;
    xs[3 * i + 1] = b[i]!;
    xs[3 * i + 2] = c[i]!;
  }
  const out = run(["fma"], bytes(xs), 8 * n, opts);
  return new Float64Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
}

/**
 * Streams glibc expf/logf over the float32 bit patterns start .. start+count-1 (count up to 2^32), calling
 * onChunk(firstBits, results) in order. Used by the exhaustive check.
 */
export function libm32Range(
  fn: LibmFn32,
  start: number,
  count: number,
  onChunk: (firstBits: number, results: Float32Array) => void,
  opts?: LibmOptions,
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(libmBinary(), [fn, String(start), String(count)], { env: env(opts), stdio: ["ignore", "pipe", "inherit"] });
    let pending = Buffer.alloc(0);
    let next = start;
    child.stdout.on("data", (buf: Buffer) => {
      const all = pending.length ? Buffer.concat([pending, buf]) : buf;
      const whole = all.length - (all.length % 4);
      if (whole > 0) {
        const copy = new Float32Array(whole / 4);
        new Uint8Array(copy.buffer).set(all.subarray(0, whole));
        onChunk(next, copy);
        next += copy.length;
      }
      pending = Buffer.from(all.subarray(whole));
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`libm_ref ${fn} range exited with ${code}`));
      else if (next !== start + count) reject(new Error(`libm_ref ${fn}: got ${next - start} of ${count} results`));
      else resolvePromise();
    });
  });
}
