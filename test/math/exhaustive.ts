// Exhaustive check (not run in CI): compares expf/logf (and expfNoFma) with this machine's glibc on all 2^32 float32 inputs.
//   npx tsx test/math/exhaustive.ts [expf|expfNoFma|logf|logfNoFma ...]   (default: expf logf)
// About 2-4 minutes per function on a 2-core machine. Exits non-zero on any mismatch (NaN matches any NaN).
import { expf, expfNoFma } from "../../src/runtime/math/expf.ts";
import { logf } from "../../src/runtime/math/logf.ts";
import { libm32Range, type LibmFn32 } from "./libm.ts";

const CASES: Record<string, { fn: (x: number) => number; libm: LibmFn32; noFma: boolean }> = {
  expf: { fn: expf, libm: "expf", noFma: false },
  expfNoFma: { fn: expfNoFma, libm: "expf", noFma: true },
  logf: { fn: logf, libm: "logf", noFma: false },
  logfNoFma: { fn: logf, libm: "logf", noFma: true },
};

async function check(name: string): Promise<number> {
  const { fn, libm, noFma } = CASES[name]!;
  const inBits = new Uint32Array(1);
  const inF = new Float32Array(inBits.buffer);
  const outBits = new Uint32Array(1);
  const outF = new Float32Array(outBits.buffer);
  let bad = 0;
  const t0 = Date.now();
  await libm32Range(
    libm,
    0,
    2 ** 32,
    (first, ref) => {
      const refBits = new Uint32Array(ref.buffer, ref.byteOffset, ref.length);
      for (let j = 0; j < ref.length; j++) {
        inBits[0] = first + j;
        outF[0] = fn(inF[0]!);
        if (outBits[0]! !== refBits[j]! && !(outF[0]! !== outF[0]! && ref[j]! !== ref[j]!)) {
          if (bad < 10) console.log(`  ${name}(bits 0x${inBits[0]!.toString(16)} = ${inF[0]!}) = ${outF[0]!}, libm ${ref[j]!}`);
          bad++;
        }
      }
    },
    { noFma },
  );
  console.log(`${name}: ${bad} mismatches over 2^32 inputs (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return bad;
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : ["expf", "logf"];
  let total = 0;
  for (const n of names) {
    if (!CASES[n]!) throw new Error(`unknown function ${n}; expected one of ${Object.keys(CASES).join(", ")}`);
    total += await check(n);
  }
  process.exit(total === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
