// Not a test (too slow for CI): the AssemblyScript expf against the TypeScript expf on every one of the 2^32 float32
// inputs, and xgbSigmoid on every float32 in [-100, 100].   npx tsx test/wasm/exhaustive-expf.ts [startHex endHex]
// Prints the number of differences (expected: 0) and the time taken.

import { compileAsProgram } from "../../emitters/as/compile.ts";
import { asRuntimeSource } from "../../emitters/as/runtime.ts";
import { expf } from "../../src/runtime/math/expf.ts";
import { xgbSigmoid } from "../../src/runtime/xgbSigmoid.ts";

const start = Number.parseInt(process.argv[2] ?? "0", 16);
const end = Number.parseInt(process.argv[3] ?? "100000000", 16);
const source = `${asRuntimeSource(["xgb.as"])}
export function run(fn: i32, inp: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const x = <f64>load<f32>(inp + (<usize>i << 2));
    store<f64>(out + (<usize>i << 3), fn == 0 ? expf(x) : xgbSigmoid(x));
  }
}
`;
const wasm = await compileAsProgram({ source, blob: new Uint8Array(0), memoryBase: 0 });
const e = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as unknown as {
  memory: WebAssembly.Memory;
  run(fn: number, inp: number, n: number, out: number): void;
};
const CHUNK = 1 << 22;
e.memory.grow(Math.ceil((CHUNK * 12 + 65536) / 65536));
const inAt = 65536;
const outAt = inAt + CHUNK * 4;
const t0 = performance.now();
let diffs = 0;
let sigDiffs = 0;
let sigCount = 0;
for (let base = start; base < end; base += CHUNK) {
  const n = Math.min(CHUNK, end - base);
  const u = new Uint32Array(e.memory.buffer, inAt, n);
  for (let i = 0; i < n; i++) u[i] = base + i;
  const f = new Float32Array(e.memory.buffer, inAt, n);
  e.run(0, inAt, n, outAt);
  let got = new Float64Array(e.memory.buffer, outAt, n);
  for (let i = 0; i < n; i++) {
    if (!Object.is(got[i], expf(f[i]!))) {
      if (diffs++ < 10) console.log(`expf(${f[i]}) [0x${(base + i).toString(16)}]: wasm ${got[i]} ts ${expf(f[i]!)}`);
    }
  }
  e.run(1, inAt, n, outAt);
  got = new Float64Array(e.memory.buffer, outAt, n);
  for (let i = 0; i < n; i++) {
    const x = f[i]!;
    if (!(x >= -100 && x <= 100)) continue;
    sigCount++;
    if (!Object.is(got[i], xgbSigmoid(x)) && sigDiffs++ < 10) console.log(`xgbSigmoid(${x}): wasm ${got[i]} ts ${xgbSigmoid(x)}`);
  }
  if (((base - start) / CHUNK) % 64 === 0) process.stderr.write(`0x${base.toString(16)} ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
console.log(
  `expf: ${end - start} inputs, ${diffs} differences; xgbSigmoid: ${sigCount} inputs in [-100, 100], ${sigDiffs} differences; ${((performance.now() - t0) / 1000).toFixed(0)} s`,
);
