// Bit-exactness of src/runtime/math (exp, log, log1p, expf, logf, fma) against this machine's glibc libm, FMA and non-FMA variants.
// The all-2^32 check of expf/logf is test/math/exhaustive.ts (not run in CI).
import { describe, expect, it } from "vitest";
import { exp, expFmaExact, expNoFma } from "../../src/runtime/math/exp.ts";
import { expf, expfNoFma } from "../../src/runtime/math/expf.ts";
import { fma } from "../../src/runtime/math/fma.ts";
import { log, logFmaExact, logNoFma } from "../../src/runtime/math/log.ts";
import { log1p, log1pFmaExact, log1pNoFma } from "../../src/runtime/math/log1p.ts";
import { logf } from "../../src/runtime/math/logf.ts";
import { libm32, libm64, libmFma } from "./libm.ts";

// ---- deterministic inputs ----

/** xorshift128+-style generator returning uint32s (deterministic across runs). */
function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 2;
  return () => {
    let t = a ^ (a << 11);
    a = b;
    b = (b ^ (b >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    t = b;
    return t >>> 0;
  };
}

function uniform(next: () => number): number {
  return (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53; // [0, 1) with 53 bits
}

/** n doubles with uniformly random bit patterns. */
function randomBits64(n: number, seed: number): Float64Array {
  const next = rng(seed);
  const u = new Uint32Array(2 * n);
  for (let i = 0; i < u.length; i++) u[i] = next();
  return new Float64Array(u.buffer);
}

function randomBits32(n: number, seed: number): Float32Array {
  const next = rng(seed);
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = next();
  return new Float32Array(u.buffer);
}

function uniformIn(n: number, lo: number, hi: number, seed: number): Float64Array {
  const next = rng(seed);
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * uniform(next);
  return a;
}

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** The k-th double after x (k < 0: before), stepping through bit patterns of the same sign. */
function step(x: number, k: number): number {
  F64[0] = x;
  U64[0] = BigInt.asUintN(64, U64[0]! + BigInt(x < 0 || Object.is(x, -0) ? -k : k));
  return F64[0]!;
}

/** x and its `w` neighbours on each side. */
function around(xs: number[], w: number): number[] {
  const out: number[] = [];
  for (const x of xs) for (let k = -w; k <= w; k++) out.push(step(x, k));
  return out;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** float32 values x (rounded to float) and their `w` float neighbours on each side. */
function around32(xs: number[], w: number): number[] {
  const out: number[] = [];
  for (const x of xs) {
    F32[0] = x;
    const bits = U32[0]!;
    for (let k = -w; k <= w; k++) {
      U32[0] = bits + k;
      out.push(F32[0]!);
    }
  }
  return out;
}

function concat64(...parts: (Float64Array | number[])[]): Float64Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ---- comparison ----

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

/** Number of inputs where fn(x) and the reference differ bitwise (any NaN equals any NaN); logs a few. */
function mismatches(label: string, fn: (x: number) => number, xs: ArrayLike<number>, ref: ArrayLike<number>, log = true): number {
  let bad = 0;
  for (let i = 0; i < xs.length; i++) {
    const got = fn(xs[i]!);
    if (!same(got, ref[i]!)) {
      if (log && bad < 5) console.log(`${label}(${xs[i]!}) = ${got}, libm ${ref[i]!}`);
      bad++;
    }
  }
  return bad;
}

const SPECIALS64 = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1,
  -1,
  2,
  0.5,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  2.225073858507201e-308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
];

// ---- exp ----

function expInputs(): Float64Array {
  const INVLN2N = 184.6649652337873;
  // x where x * N/ln2 is (nearly) halfway between integers: exercises the exact rounding of kd
  const next = rng(99);
  const halfway: number[] = [];
  for (let i = 0; i < 100_000; i++) {
    const k = Math.floor(uniform(next) * 262_000) - 137_600; // x in about [-745, 674]
    halfway.push(step((k + 0.5) / INVLN2N, (next() % 7) - 3));
  }
  return concat64(
    randomBits64(600_000, 1),
    uniformIn(1_000_000, -745.2, 709.9, 2), // the whole finite, non-trivial range
    uniformIn(1_000_000, -100, 100, 3), // sigmoid / softmax range, densely
    uniformIn(200_000, -1, 1, 4),
    uniformIn(200_000, -745.2, -708, 5), // subnormal results
    uniformIn(100_000, 700, 709.8, 6), // near overflow
    uniformIn(100_000, -1e-10, 1e-10, 7),
    halfway,
    around(
      [
        709.782712893384, -708.3964185322641, -745.1332191019411, -745.1332191019412, 512, -512, 1024, -1024, 5.551115123125783e-17, -5.551115123125783e-17,
        0.5, -0.5, 1, -1, 88.72283172607422, -103.97207641601562,
      ],
      300,
    ),
    SPECIALS64,
  );
}

describe("exp", () => {
  const xs = expInputs();
  it(`matches glibc __exp_fma on ${xs.length} inputs`, () => {
    const ref = libm64("exp", xs);
    expect(mismatches("exp", exp, xs, ref)).toBe(0);
    // the fast path of exp skips the fused emulation for most inputs: check the emulation on its own too
    expect(mismatches("expFmaExact", expFmaExact, xs, ref)).toBe(0);
    // the harness sees real differences: V8's Math.exp disagrees with glibc on a few percent of these inputs
    expect(mismatches("Math.exp", Math.exp, xs, ref, false)).toBeGreaterThan(xs.length / 50);
    // and the FMA variant is really what libm runs here (the unfused formula differs on some inputs)
    expect(mismatches("expNoFma", expNoFma, xs, ref, false)).toBeGreaterThan(100);
  });

  it("expNoFma matches glibc's SSE2 variant (GLIBC_TUNABLES hwcaps -AVX2,-FMA)", () => {
    const ys = xs.subarray(0, 2_000_000);
    const ref = libm64("exp", ys, { noFma: true });
    expect(mismatches("expNoFma", expNoFma, ys, ref)).toBe(0);
    expect(mismatches("exp", exp, ys, ref, false)).toBeGreaterThan(100);
  });
});

// ---- log ----

function logInputs(): Float64Array {
  const next = rng(11);
  const wide: number[] = [];
  for (let i = 0; i < 800_000; i++) wide.push(Math.exp(-745 + 1454 * uniform(next)));
  const near1: number[] = [];
  for (let k = -20_000; k <= 20_000; k++) near1.push(step(1, k));
  const pow2: number[] = [];
  for (let e = -1074; e <= 1023; e++) pow2.push(2 ** e);
  const sub = randomBits64(100_000, 12).map((x) => Math.abs(x) * 2 ** -1022 * 2 ** -60); // mostly subnormal
  return concat64(
    randomBits64(600_000, 13).map(Math.abs),
    randomBits64(50_000, 14),
    wide,
    uniformIn(800_000, 0.9, 1.1, 15), // the near-1 polynomial and its edges
    uniformIn(300_000, 0.9375 - 1e-3, 0.9375 + 1e-3, 16),
    uniformIn(300_000, 1.064697265625 - 1e-3, 1.064697265625 + 1e-3, 17),
    uniformIn(400_000, 0, 4, 18),
    near1,
    around(pow2, 3),
    sub,
    around([0.9375, 1.064697265625, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308], 200),
    SPECIALS64,
  );
}

// Inputs where __log_fma's fused polynomial changes the result even with r computed exactly (found by a random search
// of 8e7 inputs): they exercise the exact fallback behind log's fast path (main branch, then the near-1 branch).
const LOG_FMA_SENSITIVE = [
  1.5846077655693032, 1.645549111006701, 0.5667374131521015, 1.717708594625172, 1.0705204126446004, 1.452678510614222, 0.6600775450239122, 0.5392391820934411,
  0.589602206066882, 0.5896933807109586, 0.6443890684173893, 1.375639134597574, 0.637854418154439, 1.5489745597000102, 0.5031600195544118, 2.0318971454595305,
  0.5347264184887793, 0.6251428385479643, 0.5082909157934306, 0.6132362633640978, 1.5212669712311757, 0.5505315209024302, 1.6237518413330985,
  0.5546025919190491, 0.5470291726186212, 0.547154645256863, 1.0480637722023196, 0.978292676788915, 0.9849005610484771, 1.0416023975385347, 1.012892006189595,
  1.0517852485017092, 0.9407673755026295, 1.0443378962029144, 0.9531962424612516, 0.9631878608383901, 1.0563399223452175, 0.9432169130362263,
  1.0333364229245607, 1.0597024723412436, 0.9594489778101322, 1.063587655442916, 0.9395620098884994, 1.050424375926664,
];

describe("log", () => {
  const xs = logInputs();

  it("matches glibc __log_fma where the fused polynomial matters", () => {
    const ys = Float64Array.from(LOG_FMA_SENSITIVE);
    const ref = libm64("log", ys);
    expect(mismatches("log", log, ys, ref)).toBe(0);
    expect(mismatches("logFmaExact", logFmaExact, ys, ref)).toBe(0);
  });

  it(`matches glibc __log_fma on ${xs.length} inputs`, () => {
    const ref = libm64("log", xs);
    expect(mismatches("log", log, xs, ref)).toBe(0);
    expect(mismatches("logFmaExact", logFmaExact, xs, ref)).toBe(0);
    expect(mismatches("Math.log", Math.log, xs, ref, false)).toBeGreaterThan(xs.length / 100);
    expect(mismatches("logNoFma", logNoFma, xs, ref, false)).toBeGreaterThan(100);
  });

  it("logNoFma matches glibc's SSE2 variant", () => {
    const ys = xs.subarray(0, 2_000_000);
    const ref = libm64("log", ys, { noFma: true });
    expect(mismatches("logNoFma", logNoFma, ys, ref)).toBe(0);
    expect(mismatches("log", log, ys, ref, false)).toBeGreaterThan(10);
  });

  it("special values", () => {
    expect(log(0)).toBe(-Infinity);
    expect(log(-0)).toBe(-Infinity);
    expect(log(Infinity)).toBe(Infinity);
    expect(log(-Infinity)).toBeNaN();
    expect(log(-1)).toBeNaN();
    expect(log(NaN)).toBeNaN();
    expect(Object.is(log(1), 0)).toBe(true);
    expect(log(5e-324)).toBe(-744.4400719213812);
  });
});

// ---- log1p ----

function log1pInputs(): Float64Array {
  const T1 = 0.4142136573791504; // high word 0x3fda827a: k = 0 below
  const T2 = -0.2928934097290039; // high word 0xbfd2bec4: k = 0 above
  const next = rng(51);
  const wide: number[] = [];
  for (let i = 0; i < 400_000; i++) wide.push(Math.exp(-745 + 1454 * uniform(next))); // all magnitudes
  const negWide: number[] = [];
  for (let i = 0; i < 300_000; i++) negWide.push(-1 + Math.exp(-37 * uniform(next))); // (-1, 0), mostly k != 0
  // 1 + x next to 2^k * sqrt(2) (the u / u/2 normalization switch, hu = 0x6a09e) and to 2^k (|f| < 2^-20 branch)
  const sqrt2Hi = 1.4142131805419922; // high word 0x3ff6a09e
  const edges: number[] = [];
  for (let e = -53; e <= 1023; e++) {
    for (const m of [sqrt2Hi, 1, 0.5]) {
      const u = m * 2 ** e;
      if (u < 1e300) edges.push(u - 1);
      else edges.push(u);
    }
  }
  const nearPow2: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const e = (next() % 120) - 60;
    const u = 2 ** e * (1 + (uniform(next) - 0.5) * 2 ** -18);
    nearPow2.push(e < 53 ? u - 1 : u);
  }
  const tiny: number[] = [];
  for (let i = 0; i < 100_000; i++) tiny.push((next() & 1 ? -1 : 1) * 2 ** (-1074 + 1060 * uniform(next)));
  return concat64(
    randomBits64(500_000, 52),
    wide,
    negWide,
    uniformIn(1_500_000, -0.5, 1, 53), // dense where log1p(exp(x)) and logit live
    uniformIn(200_000, T1 - 1e-3, T1 + 1e-3, 54),
    uniformIn(200_000, T2 - 1e-3, T2 + 1e-3, 55),
    uniformIn(100_000, -1.5e-8, 1.5e-8, 56), // the |x| < 2^-29 shortcut and its edge
    uniformIn(100_000, 2 ** 53 - 1e4, 2 ** 53 + 1e4, 57),
    around(edges, 2),
    nearPow2,
    tiny,
    around(
      [T1, T2, -1, 2 ** -29, -(2 ** -29), 2 ** -54, -(2 ** -54), 2 ** 53, 1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, 1, -0.5, 0.5],
      300,
    ),
    SPECIALS64,
  );
}

// Inputs where __log1p_fma differs from the unfused evaluation (random search): k = 0 (x in (-0.2929, 0.41422)), then
// k != 0. They exercise the exact fallback behind log1p's fast path.
const LOG1P_FMA_SENSITIVE = [
  -0.2183639950073577, -0.08432495672163609, 0.385296091623577, -0.15670438012381266, 0.23510029758682321, 0.40089717483988435, 0.14647111295013593,
  0.30857643994461165, -0.26100117278388724, -0.2844690516783776, 0.041900249102404696, -0.27161992346898034, 0.1728474621000492, 0.2669169438460209,
  -0.9999141902729198, -0.9999999999588391, -0.29661098078235426, -0.40976088039935255, 0.4996724308938916, -0.3383222432062525, -0.9936614601376847,
  -0.9602336535765804, 0.4479573492520674, 0.48558689006281797, -0.3040631352437384, -0.9220222589790261, 1.6336911494723192, 0.49967023997097026,
  1.6838805147382514, 0.6004742290971068, -0.9985660272125981, -0.9999993268784002, -0.9570872235556791,
];

describe("log1p", () => {
  const xs = log1pInputs();

  it("matches glibc __log1p_fma where the fused polynomial matters", () => {
    const ys = Float64Array.from(LOG1P_FMA_SENSITIVE);
    const ref = libm64("log1p", ys);
    expect(mismatches("log1p", log1p, ys, ref)).toBe(0);
    expect(mismatches("log1pFmaExact", log1pFmaExact, ys, ref)).toBe(0);
    expect(mismatches("log1pNoFma", log1pNoFma, ys, ref, false)).toBe(ys.length);
  });

  it(`matches glibc __log1p_fma on ${xs.length} inputs`, () => {
    const ref = libm64("log1p", xs);
    expect(mismatches("log1p", log1p, xs, ref)).toBe(0);
    expect(mismatches("log1pFmaExact", log1pFmaExact, xs, ref)).toBe(0);
    // V8's Math.log1p (fdlibm, Horner polynomial) and the unfused formula both differ now and then
    expect(mismatches("Math.log1p", Math.log1p, xs, ref, false)).toBeGreaterThan(1000);
    expect(mismatches("log1pNoFma", log1pNoFma, xs, ref, false)).toBeGreaterThan(100);
  });

  it("log1pNoFma matches glibc's SSE2 variant", () => {
    const ref = libm64("log1p", xs, { noFma: true });
    expect(mismatches("log1pNoFma", log1pNoFma, xs, ref)).toBe(0);
    expect(mismatches("log1p", log1p, xs, ref, false)).toBeGreaterThan(100);
  });

  it("special values", () => {
    for (const f of [log1p, log1pFmaExact, log1pNoFma]) {
      expect(f(-1)).toBe(-Infinity);
      expect(f(-1.5)).toBeNaN();
      expect(f(-Infinity)).toBeNaN();
      expect(f(NaN)).toBeNaN();
      expect(f(Infinity)).toBe(Infinity);
      expect(Object.is(f(0), 0)).toBe(true);
      expect(Object.is(f(-0), -0)).toBe(true);
      expect(f(5e-324)).toBe(5e-324);
      expect(f(1)).toBe(0.6931471805599453);
      expect(f(1.7976931348623157e308)).toBe(709.782712893384);
    }
  });
});

// ---- expf / logf ----

function floatInputs(lo: number, hi: number, n: number, seed: number): Float32Array {
  return Float32Array.from(uniformIn(n, lo, hi, seed));
}

function concat32(...parts: (Float32Array | number[])[]): Float32Array {
  return Float32Array.from(concat64(...parts.map((p) => Array.from(p))));
}

describe("expf", () => {
  // the two inputs where glibc's FMA and SSE2 variants differ (found by the exhaustive comparison)
  const fmaSensitive = new Float32Array(new Uint32Array([0x4202422f, 0xc27c65d9]).buffer);
  const xs = concat32(
    randomBits32(1_500_000, 21),
    floatInputs(-104, 89, 1_000_000, 22),
    floatInputs(-20, 20, 500_000, 23),
    around32([88.72283172607422, -103.97207641601562, -103.27892303466797, 88, -88, -87.33654022216797, 0, -0], 2000),
    Array.from(fmaSensitive),
    SPECIALS64.map(Math.fround),
  );

  it(`matches glibc __expf_fma on ${xs.length} inputs`, () => {
    const ref = libm32("expf", xs);
    expect(mismatches("expf", expf, xs, ref)).toBe(0);
    // Math.fround(Math.exp(x)) is wrong now and then; the unfused variant exactly on the two sensitive inputs
    expect(mismatches("fround(Math.exp)", (x) => Math.fround(Math.exp(x)), xs, ref, false)).toBeGreaterThan(0);
    expect(mismatches("expfNoFma", expfNoFma, xs, ref, false)).toBe(2);
  });

  it("expfNoFma matches glibc's SSE2 variant", () => {
    const ref = libm32("expf", xs, { noFma: true });
    expect(mismatches("expfNoFma", expfNoFma, xs, ref)).toBe(0);
    expect(mismatches("expf", expf, fmaSensitive, libm32("expf", fmaSensitive, { noFma: true }), false)).toBe(2);
  });
});

describe("logf", () => {
  const xs = concat32(
    randomBits32(1_500_000, 31),
    floatInputs(0.5, 2, 500_000, 32),
    floatInputs(0.99, 1.01, 300_000, 33),
    around32([1, 0.6992, 1.4, 2 ** -126, 2 ** -149, 3.4028234663852886e38], 3000),
    Array.from({ length: 277 }, (_, i) => 2 ** (i - 149)),
    SPECIALS64.map(Math.fround),
  );
  it(`matches glibc __logf_fma and the SSE2 variant on ${xs.length} inputs`, () => {
    const ref = libm32("logf", xs);
    expect(mismatches("logf", logf, xs, ref)).toBe(0);
    expect(mismatches("logf", logf, xs, libm32("logf", xs, { noFma: true }))).toBe(0);
    expect(mismatches("fround(Math.log)", (x) => Math.fround(Math.log(x)), xs, ref, false)).toBeGreaterThan(0);
  });
});

// ---- fma ----

describe("fma", () => {
  function check(a: Float64Array, b: Float64Array, c: Float64Array): { bad: number; naive: number } {
    const ref = libmFma(a, b, c);
    let bad = 0;
    let naive = 0;
    for (let i = 0; i < a.length; i++) {
      const got = fma(a[i]!, b[i]!, c[i]!);
      if (!same(got, ref[i]!)) {
        if (bad < 5) console.log(`fma(${a[i]!}, ${b[i]!}, ${c[i]!}) = ${got}, libm ${ref[i]!}`);
        bad++;
      }
      if (!same(a[i]! * b[i]! + c[i]!, ref[i]!)) naive++;
    }
    return { bad, naive };
  }

  it("matches C fma on random bit patterns", () => {
    const n = 500_000;
    expect(check(randomBits64(n, 41), randomBits64(n, 42), randomBits64(n, 43)).bad).toBe(0);
  });

  it("matches C fma with cancellation and operands of all magnitudes", () => {
    const n = 600_000;
    const next = rng(44);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ea = (next() % 2200) - 1100;
      const eb = (next() % 2200) - 1100;
      a[i] = (1 + uniform(next)) * 2 ** Math.max(-1074, Math.min(1023, ea)) * (next() & 1 ? -1 : 1);
      b[i] = (1 + uniform(next)) * 2 ** Math.max(-1074, Math.min(1023, i % 3 ? eb % 40 : eb));
      const p = a[i]! * b[i]!;
      const k = i % 5;
      if (k === 0) c[i] = -p;
      else if (k === 1) c[i] = -p * (1 + (uniform(next) - 0.5) * 2 ** -40);
      else c[i] = (uniform(next) - 0.5) * 2 ** Math.max(-1074, Math.min(1023, ea + eb + (next() % 120) - 60));
    }
    const { bad, naive } = check(a, b, c);
    expect(bad).toBe(0);
    expect(naive).toBeGreaterThan(n / 10);
  });

  it("matches C fma when a*b + c is (nearly) halfway between two doubles", () => {
    // c = +-1 * 2^e and a*b = a rounded half-ulp of c plus a tiny product error: the double-rounding trap
    const n = 300_000;
    const next = rng(45);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const e = (next() % 200) - 100;
      const x = (1 + uniform(next)) * 2 ** ((next() % 20) - 10);
      c[i] = (i & 1 ? 1 : 1 + 2 ** -52) * 2 ** e * (i & 2 ? -1 : 1);
      const half = 2 ** (e - 53) * (i & 4 ? -1 : 1) * (i & 8 ? 2 : 1) * (i & 16 ? 3 : 1);
      a[i] = x;
      b[i] = half / x;
    }
    const { bad, naive } = check(a, b, c);
    expect(bad).toBe(0);
    expect(naive).toBeGreaterThan(n / 20);
  });

  it("special values", () => {
    const vals = [0, -0, Infinity, -Infinity, NaN, 1, -1, 3, 0.1, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308];
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    for (const x of vals)
      for (const y of vals)
        for (const z of vals) {
          a.push(x);
          b.push(y);
          c.push(z);
        }
    expect(check(Float64Array.from(a), Float64Array.from(b), Float64Array.from(c)).bad).toBe(0);
  });
});
