// Micro-benchmark (not a test): ns per call of the glibc-exact functions vs V8's Math.exp / Math.log / Math.log1p.
//   npx tsx test/math/bench.ts
// Each case has its own loop (monomorphic call site); cases are interleaved and the best of many rounds is kept,
// which makes the ratios fairly stable on a busy machine.
import { exp, expFmaExact, expNoFma } from "../../src/runtime/math/exp.ts";
import { expf, expfNoFma } from "../../src/runtime/math/expf.ts";
import { log, logFmaExact, logNoFma } from "../../src/runtime/math/log.ts";
import { log1p, log1pFmaExact, log1pNoFma } from "../../src/runtime/math/log1p.ts";
import { logf } from "../../src/runtime/math/logf.ts";

const N = 1 << 16;
const fill = (f: () => number) => Float64Array.from({ length: N }, f);
const sig = fill(() => Math.random() * 40 - 20);
const wide = fill(() => Math.random() * 1400 - 700);
const pos = fill(() => Math.exp(Math.random() * 100 - 50));
const near1 = fill(() => 0.94 + Math.random() * 0.12);
const small = fill(() => Math.random() * 0.7 - 0.29);
const expSig = Float64Array.from(sig, Math.exp);
const sig32 = Float64Array.from(sig, Math.fround);
const prob32 = Float64Array.from(fill(Math.random), Math.fround);

type Case = [name: string, base: string, loop: () => number];
const cases: Case[] = [
  [
    "Math.exp [-20,20]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.exp(sig[i]!);
      return s;
    },
  ],
  [
    "exp [-20,20]",
    "Math.exp [-20,20]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += exp(sig[i]!);
      return s;
    },
  ],
  [
    "expFmaExact [-20,20]",
    "Math.exp [-20,20]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += expFmaExact(sig[i]!);
      return s;
    },
  ],
  [
    "expNoFma [-20,20]",
    "Math.exp [-20,20]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += expNoFma(sig[i]!);
      return s;
    },
  ],
  [
    "Math.exp [-700,700]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.exp(wide[i]!);
      return s;
    },
  ],
  [
    "exp [-700,700]",
    "Math.exp [-700,700]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += exp(wide[i]!);
      return s;
    },
  ],
  [
    "fround(Math.exp) f32",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.fround(Math.exp(sig32[i]!));
      return s;
    },
  ],
  [
    "expf f32",
    "fround(Math.exp) f32",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += expf(sig32[i]!);
      return s;
    },
  ],
  [
    "expfNoFma f32",
    "fround(Math.exp) f32",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += expfNoFma(sig32[i]!);
      return s;
    },
  ],
  [
    "Math.log e^[-50,50]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.log(pos[i]!);
      return s;
    },
  ],
  [
    "log e^[-50,50]",
    "Math.log e^[-50,50]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log(pos[i]!);
      return s;
    },
  ],
  [
    "logFmaExact e^[-50,50]",
    "Math.log e^[-50,50]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += logFmaExact(pos[i]!);
      return s;
    },
  ],
  [
    "logNoFma e^[-50,50]",
    "Math.log e^[-50,50]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += logNoFma(pos[i]!);
      return s;
    },
  ],
  [
    "Math.log [0.94,1.06]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.log(near1[i]!);
      return s;
    },
  ],
  [
    "logNoFma [0.94,1.06]",
    "Math.log [0.94,1.06]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += logNoFma(near1[i]!);
      return s;
    },
  ],
  [
    "log [0.94,1.06]",
    "Math.log [0.94,1.06]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log(near1[i]!);
      return s;
    },
  ],
  [
    "logFmaExact [0.94,1.06]",
    "Math.log [0.94,1.06]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += logFmaExact(near1[i]!);
      return s;
    },
  ],
  [
    "Math.log1p [-0.29,0.41]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.log1p(small[i]!);
      return s;
    },
  ],
  [
    "log1p [-0.29,0.41]",
    "Math.log1p [-0.29,0.41]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log1p(small[i]!);
      return s;
    },
  ],
  [
    "log1pFmaExact [-0.29,0.41]",
    "Math.log1p [-0.29,0.41]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log1pFmaExact(small[i]!);
      return s;
    },
  ],
  [
    "log1pNoFma [-0.29,0.41]",
    "Math.log1p [-0.29,0.41]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log1pNoFma(small[i]!);
      return s;
    },
  ],
  [
    "Math.log1p e^[-20,20]",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.log1p(expSig[i]!);
      return s;
    },
  ],
  [
    "log1p e^[-20,20]",
    "Math.log1p e^[-20,20]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log1p(expSig[i]!);
      return s;
    },
  ],
  [
    "log1pNoFma e^[-20,20]",
    "Math.log1p e^[-20,20]",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += log1pNoFma(expSig[i]!);
      return s;
    },
  ],
  [
    "fround(Math.log) f32",
    "",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += Math.fround(Math.log(prob32[i]!));
      return s;
    },
  ],
  [
    "logf f32",
    "fround(Math.log) f32",
    () => {
      let s = 0;
      for (let i = 0; i < N; i++) s += logf(prob32[i]!);
      return s;
    },
  ],
];

const best = cases.map(() => Infinity);
let sink = 0;
for (let round = 0; round < 200; round++) {
  cases.forEach(([, , loop], j) => {
    const t0 = process.hrtime.bigint();
    sink += loop();
    best[j] = Math.min(best[j]!, Number(process.hrtime.bigint() - t0) / N);
  });
}
const byName = new Map(cases.map(([name], j) => [name, best[j]!]));
for (const [j, [name, base]] of cases.entries()) {
  const ratio = base ? `  ${(best[j]! / byName.get(base)!).toFixed(2)}x ${base}` : "";
  console.log(`${name.padEnd(28)} ${best[j]!.toFixed(1).padStart(6)} ns${ratio}`);
}
if (sink === 0.5) console.log(sink);
