// Child process for test/v8-optimizable.test.ts (run with --allow-natives-syntax): imports a module
// whose functions are listed in `__fns`, forces TurboFan on each after warm-up, and reports which
// functions V8 refused to optimize.
import { pathToFileURL } from "node:url";

const [file, nFeatures, nRows] = process.argv.slice(2).map((v, i) => (i === 0 ? v : Number(v)));
const m = await import(pathToFileURL(file).href);
const fns = m.__fns;
const rows = [];
let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
for (let i = 0; i < nRows; i++) rows.push(Array.from({ length: nFeatures }, () => (rnd() < 0.05 ? NaN : rnd() * 40 - 20)));
// biome-ignore lint/correctness/noUnusedVariables: f is read by the V8 intrinsic inside eval
for (const f of fns) eval("%PrepareFunctionForOptimization(f)");
// single rows and batches (blocks of whole, partial and single rows), so the batch functions run too
const flat = Float64Array.from(rows.flat());
const batches = () => {
  for (const n of [nRows, 100, 37, 1]) m.predictBatch(flat.subarray(0, n * nFeatures), n);
};
for (const r of rows) m.predict(r);
batches();
// Forced optimization, then the same calls. A path these calls first reach after it (say a rare branch of a
// batch walk) deoptimizes with "insufficient type feedback"; V8 would optimize again with the new feedback,
// so up to three rounds re-mark what is not optimized.
for (let round = 0; round < 3; round++) {
  // biome-ignore lint/correctness/noUnusedFunctionParameters: f is read by the V8 intrinsic inside eval
  const todo = fns.filter((f) => !(eval("%GetOptimizationStatus(f)") & 16));
  if (todo.length === 0) break;
  // biome-ignore lint/correctness/noUnusedVariables: f is read by the V8 intrinsic inside eval
  for (const f of todo) eval("%OptimizeFunctionOnNextCall(f)");
  for (const r of rows) m.predict(r);
  batches();
}
const notOptimized = [];
const optimized = [];
for (const f of fns) {
  const s = eval("%GetOptimizationStatus(f)");
  // bit 16: optimized. Functions these rows never reach stay interpreted, which is fine;
  // "never optimize" (bit 2) is not.
  if (s & 16) optimized.push(f.name);
  else if (s & 2) notOptimized.push(f.name);
}
process.stdout.write(JSON.stringify({ total: fns.length, optimized, notOptimized }));
