// The AssemblyScript ports of the exact math (src/runtime/as/*.as) against the TypeScript functions that generated JS
// uses (src/runtime), bit for bit, on millions of inputs each: float32 expf on a stride through all 2^32 bit
// patterns, double exp/log/log1p on random bit patterns over their whole ranges and dense sweeps where the algorithms
// branch (near 1 for log, |x| >= 512 and kd ties for exp, k = 0 and |f| < 2^-20 for log1p), and the transforms. Both sides claim to be
// glibc's results; this test shows the WebAssembly side computes exactly what the JS side does.

import { beforeAll, describe, expect, it } from "vitest";
import { compileAsProgram } from "../../emitters/as/compile.ts";
import { asRuntimeSource } from "../../emitters/as/runtime.ts";
import { exp } from "../../src/runtime/math/exp.ts";
import { expf } from "../../src/runtime/math/expf.ts";
import { log } from "../../src/runtime/math/log.ts";
import { log1p } from "../../src/runtime/math/log1p.ts";
import { lgbLog1pExp } from "../../src/runtime/lgbLog1pExp.ts";
import { lgbSigmoid } from "../../src/runtime/lgbSigmoid.ts";
import { skIforest } from "../../src/runtime/skIforest.ts";
import { xgbSigmoid, xgbSigmoidLegacy } from "../../src/runtime/xgbSigmoid.ts";

const FNS: { name: string; as: string; ts: (x: number) => number }[] = [
  { name: "expf", as: "expf(x)", ts: expf },
  { name: "exp", as: "exp(x)", ts: exp },
  { name: "log", as: "log(x)", ts: log },
  { name: "log1p", as: "log1p(x)", ts: log1p },
  { name: "lgbLog1pExp", as: "lgbLog1pExp(x)", ts: lgbLog1pExp },
  { name: "xgbSigmoid", as: "xgbSigmoid(x)", ts: xgbSigmoid },
  { name: "xgbSigmoidLegacy", as: "xgbSigmoidLegacy(x)", ts: xgbSigmoidLegacy },
  { name: "lgbSigmoid", as: "lgbSigmoid(x, 0.75)", ts: (x) => lgbSigmoid(x, 0.75) },
  { name: "skIforest", as: "skIforest(x, 0.5)", ts: (x) => skIforest(x, 0.5) },
  // the sigmoid kernel's tanh: V8's (fdlibm in Node 20's V8 11.x), which the JS path calls as Math.tanh
  { name: "tanh", as: "fdlibmTanh(x)", ts: Math.tanh },
  { name: "expm1", as: "fdlibmExpm1(x)", ts: Math.expm1 },
];

const CHUNK = 1 << 20;

interface Harness {
  memory: WebAssembly.Memory;
  run(fn: number, inp: number, n: number, out: number): void;
}

let h: Harness;

beforeAll(async () => {
  const cases = FNS.map((f, i) => `      case ${i}: y = ${f.as}; break;`).join("\n");
  const source = `${asRuntimeSource(["xgb.as", "lgb.as", "sk.as", "kernel.as"])}

export function run(fn: i32, inp: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f64>(inp + (<usize>i << 3));
    let y: f64 = 0.0;
    switch (fn) {
${cases}
    }
    store<f64>(out + (<usize>i << 3), y);
  }
}
`;
  const wasm = await compileAsProgram({ source, blob: new Uint8Array(0), memoryBase: 0 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  h = exports as unknown as Harness;
  const need = 2 * CHUNK * 8 + 65536;
  if (h.memory.buffer.byteLength < need) h.memory.grow(Math.ceil((need - h.memory.buffer.byteLength) / 65536));
});

/** Compares fn on all inputs (chunked through linear memory); returns how many were compared. */
function compare(fnName: string, inputs: Float64Array): number {
  const i = FNS.findIndex((f) => f.name === fnName);
  const ts = FNS[i]!.ts;
  const base = 65536;
  const outAt = base + CHUNK * 8;
  for (let o = 0; o < inputs.length; o += CHUNK) {
    const n = Math.min(CHUNK, inputs.length - o);
    new Float64Array(h.memory.buffer, base, n).set(inputs.subarray(o, o + n));
    h.run(i, base, n, outAt);
    const got = new Float64Array(h.memory.buffer, outAt, n);
    for (let k = 0; k < n; k++) {
      const x = inputs[o + k]!;
      const want = ts(x);
      if (!Object.is(got[k], want)) {
        throw new Error(`${fnName}(${x}) [bits ${bitsOf(x)}]: WebAssembly ${got[k]} vs TypeScript ${want}`);
      }
    }
  }
  return inputs.length;
}

function bitsOf(x: number): string {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return "0x" + b.getBigUint64(0).toString(16).padStart(16, "0");
}

/** Deterministic xorshift128+ (seeded), for reproducible random bit patterns. */
function rng(seed: number) {
  let s0 = BigInt(seed) | 1n;
  let s1 = 0x9e3779b97f4a7c15n;
  const mask = (1n << 64n) - 1n;
  return (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & mask;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & mask;
  };
}

function doublesFromBits(n: number, seed: number, map: (bits: bigint) => bigint): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  const dv = new DataView(new ArrayBuffer(8));
  for (let i = 0; i < n; i++) {
    dv.setBigUint64(0, map(r()));
    out[i] = dv.getFloat64(0);
  }
  return out;
}

const SPECIALS = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.2250738585072014e-308, 1, -1, 0.5, 88.7, -88.7, 709.78, -745.13, 1e300, -1e300];

describe("AssemblyScript math equals the TypeScript math, bit for bit", () => {
  it("expf on 4 million float32 inputs (a stride through all bit patterns) and specials", () => {
    const n = 1 << 22;
    const u = new Uint32Array(n);
    const step = 2 ** 32 / n;
    for (let i = 0; i < n; i++) u[i] = (i * step + ((i * 2654435761) % step)) >>> 0; // one pattern in each stride
    const f = new Float32Array(u.buffer);
    const inputs = Float64Array.from(f);
    // the two inputs where glibc's FMA and SSE2 variants differ (0x4202422f, 0xc27c65d9)
    const extra = Float64Array.from(new Float32Array(Uint32Array.of(0x4202422f, 0xc27c65d9).buffer));
    expect(compare("expf", inputs) + compare("expf", extra) + compare("expf", Float64Array.from(SPECIALS, Math.fround))).toBeGreaterThan(4e6);
  });

  it("exp on 3 million doubles: all bit patterns near the useful range, |x| >= 512, tiny, and kd ties", () => {
    // exponent field 0x3c0..0x409 (|x| from 2^-63 to 1024), random sign and mantissa
    const wide = doublesFromBits(1 << 21, 1, (b) => (b & 0x800fffffffffffffn) | ((0x3c0n + (((b >> 52n) & 0x7ffn) % 0x4an)) << 52n));
    const big = Float64Array.from({ length: 1 << 19 }, (_, i) => (i % 2 ? -1 : 1) * (512 + (i / (1 << 19)) * 240));
    // x with x * 128/ln2 within a few ulps of k + 1/2 (the kd rounding ties of __exp_fma)
    const ties: number[] = [];
    for (let k = -96000; k < 96000; k += 7) {
      const x = ((k + 0.5) * Math.LN2) / 128;
      for (let d = -2; d <= 2; d++) ties.push(x + d * Number.EPSILON * Math.abs(x));
    }
    const tiny = doublesFromBits(1 << 16, 2, (b) => (b & 0x800fffffffffffffn) | ((0x300n + (((b >> 52n) & 0xffn) % 0xcan)) << 52n));
    const total =
      compare("exp", wide) + compare("exp", big) + compare("exp", Float64Array.from(ties)) + compare("exp", tiny) + compare("exp", Float64Array.from(SPECIALS));
    expect(total).toBeGreaterThan(2.5e6);
  });

  it("log on 3 million doubles: random positive bit patterns, dense near 1, subnormals", () => {
    const all = doublesFromBits(1 << 21, 3, (b) => b & 0x7fffffffffffffffn);
    const near1 = Float64Array.from({ length: 1 << 19 }, (_, i) => 0.9375 + (i / (1 << 19)) * 0.1272);
    const ulpsFrom1 = Float64Array.from({ length: 1 << 16 }, (_, i) => 1 + (i - 32768) * Number.EPSILON);
    const sub = doublesFromBits(1 << 16, 4, (b) => b & 0x000fffffffffffffn);
    const negatives = doublesFromBits(1 << 12, 5, (b) => b | 0x8000000000000000n);
    const total =
      compare("log", all) +
      compare("log", near1) +
      compare("log", ulpsFrom1) +
      compare("log", sub) +
      compare("log", negatives) +
      compare("log", Float64Array.from(SPECIALS));
    expect(total).toBeGreaterThan(2.5e6);
  });

  it("log1p on 3 million doubles: random bit patterns above -1, dense around the branch points, tiny", () => {
    const all = doublesFromBits(1 << 21, 6, (b) => (b >> 63n === 1n ? b & 0xbfefffffffffffffn : b)); // negatives in (-1, 0)
    const around = Float64Array.from({ length: 1 << 19 }, (_, i) => -0.35 + (i / (1 << 19)) * 0.85); // k = 0 branch and its edges
    const near = Float64Array.from({ length: 1 << 16 }, (_, i) => (i - 32768) * 2 ** -40); // |f| < 2^-20 and the 2^-29 cut
    const specials = Float64Array.from([...SPECIALS, -1, -0.9999999999999999, 0.4142136573791504, -0.2928934097290039, 9007199254740992, 1e308]);
    const total = compare("log1p", all) + compare("log1p", around) + compare("log1p", near) + compare("log1p", specials);
    expect(total).toBeGreaterThan(2.5e6);
  });

  it.runIf(process.versions.v8.startsWith("11."))("tanh and expm1 (sigmoid kernels) equal V8's Math.tanh / Math.expm1 on 2 million doubles", () => {
    const wide = doublesFromBits(1 << 20, 7, (b) => (b & 0x800fffffffffffffn) | ((0x3c0n + (((b >> 52n) & 0x7ffn) % 0x48n)) << 52n)); // 2^-63 .. 512
    const dense = Float64Array.from({ length: 1 << 19 }, (_, i) => (i / (1 << 19)) * 50 - 25 + i * 1e-13);
    const specials = Float64Array.from([...SPECIALS, 22, -22, 2 ** -28, 2 ** -55, 0.34657359027997264, 38.816242111356935, -38.816242111356935, 709.8, -800]);
    let total = 0;
    for (const name of ["tanh", "expm1"]) total += compare(name, wide) + compare(name, dense) + compare(name, specials);
    expect(total).toBeGreaterThan(3e6);
  });

  it("transforms on the exact math: XGBoost sigmoids (float32), LightGBM sigmoid, IsolationForest score", () => {
    const f = Float64Array.from({ length: 1 << 20 }, (_, i) => Math.fround((i - (1 << 19)) / 4096));
    const d = Float64Array.from({ length: 1 << 20 }, (_, i) => (i - (1 << 19)) / 997 + i * 1e-12);
    let total = 0;
    for (const name of ["xgbSigmoid", "xgbSigmoidLegacy"]) total += compare(name, f) + compare(name, Float64Array.from(SPECIALS, Math.fround));
    for (const name of ["lgbSigmoid", "skIforest", "lgbLog1pExp"]) total += compare(name, d) + compare(name, Float64Array.from(SPECIALS));
    expect(total).toBeGreaterThan(5e6);
  });
});
