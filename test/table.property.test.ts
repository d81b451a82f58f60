// Random table models (string and number columns, lookup/bins/func preprocessing steps as scikit-learn's encoders,
// KBinsDiscretizer and FunctionTransformer make them, a linear model on top) in both styles against the IR evaluator:
// rows as arrays and as objects, batches as rows and as columns, bit for bit, and a refused row (unknown category
// under handle_unknown="error", NaN or ±Infinity into KBinsDiscretizer) refused by both.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STYLES } from "../emitters/registry.ts";
import { compileToModule } from "../src/compiledModule.ts";
import { buildLinear } from "../src/ir/builder.ts";
import { rowEncoder } from "../src/ir/columns.ts";
import { evaluatePredictRaw } from "../src/ir/evaluate.ts";
import { PreprocessError } from "../src/ir/preprocess.ts";
import type { FuncName, InputColumn, ModelIR, PreStep } from "../src/ir/types.ts";

const VALUES = [0, -0, 1, -1, 0.5, 2.5, 1e300, -7.25, Number.NaN];
const WORDS = ["a", "b", "pro", "Zürich", "", "x y", "__proto__", "constructor"];

const colArb = fc.record({
  category: fc.boolean(),
  nVocab: fc.integer({ min: 1, max: 5 }),
  none: fc.boolean(),
  width: fc.integer({ min: 1, max: 3 }),
  keep: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  table: fc.array(fc.constantFrom(...VALUES), { minLength: 30, maxLength: 30 }),
  fail: fc.integer({ min: 0, max: 3 }),
  numeric: fc.constantFrom("lookup", "bins", "func", "plain"),
  func: fc.constantFrom<FuncName>("log1p", "expm1", "log", "exp", "sqrt"),
  edges: fc.array(fc.constantFrom(-1, 0, 0.5, 1, 3), { minLength: 0, maxLength: 4 }),
});

const modelArb = fc
  .record({ cols: fc.array(colArb, { minLength: 1, maxLength: 4 }), w: fc.array(fc.constantFrom(1, -2, 0.5, 3), { minLength: 40, maxLength: 40 }) })
  .map(({ cols, w }) => {
    let slots = cols.length;
    const steps: PreStep[] = [];
    const output: number[] = [];
    const columns: InputColumn[] = cols.map((c, i) => {
      const name = i === 1 ? "length" : `c${i}`;
      if (c.category) return { name, kind: "category", categories: WORDS.slice(0, c.nVocab), ...(c.none ? { none: true } : {}) };
      return { name, kind: "number" };
    });
    cols.forEach((c, i) => {
      const lookup = c.category || c.numeric === "lookup";
      if (lookup) {
        // keys: some of the vocabulary's codes (and None), or numbers; rows of `width` values each, NaN and unknown rows
        const pool = c.category ? [...Array.from({ length: c.nVocab }, (_, k) => k), ...(c.none ? [-2] : [])] : [-1, 0, 0.5, 1, 2.5];
        const keys = pool.filter((_, k) => c.keep[k % c.keep.length]).sort((a, b) => a - b);
        const rows = keys.length + 2;
        const table = Float64Array.from({ length: rows * c.width }, (_, k) => c.table[k % c.table.length]!);
        const dst = Int32Array.from({ length: c.width }, (_, k) => slots + k);
        slots += c.width;
        steps.push({
          kind: "lookup",
          src: Int32Array.of(i),
          dstStart: Int32Array.of(0, c.width),
          dst,
          keyStart: Int32Array.of(0, keys.length),
          keys: Float64Array.from(keys),
          tableStart: Int32Array.of(0, table.length),
          table,
          fail: Int32Array.of(c.fail),
          label: [columns[i]!.name],
        });
        output.push(...dst);
      } else if (c.numeric === "bins") {
        const edges = [...c.edges].sort((a, b) => a - b);
        steps.push({
          kind: "bins",
          src: Int32Array.of(i),
          dst: Int32Array.of(slots),
          edgeStart: Int32Array.of(0, edges.length),
          edges: Float64Array.from(edges),
          label: [columns[i]!.name],
        });
        output.push(slots++);
      } else if (c.numeric === "func") {
        steps.push({ kind: "func", fn: c.func, src: Int32Array.of(i), dst: Int32Array.of(slots) });
        output.push(slots++);
      } else output.push(i);
    });
    const ir: ModelIR = buildLinear(
      {
        irVersion: 1,
        name: "table",
        task: "regression",
        nFeatures: cols.length,
        columns,
        source: { library: "test", version: "0", format: "random" },
        inputCast: "float64",
        nOutputs: 1,
        transform: "identity",
        decision: { kind: "value" },
        proba: { kind: "none" },
        preprocess: { slots, steps, output: Int32Array.from(output) },
      },
      { weights: Float64Array.from(output, (_, k) => w[k % w.length]!), bias: [0.25], accumulate: "float64", missing: "propagate" },
    );
    return ir;
  });

/** Random rows: known, unknown and odd strings, null, NaN in category columns; edge numbers in number columns. */
function rowsArb(ir: ModelIR): fc.Arbitrary<unknown[][]> {
  const cell = (c: InputColumn) =>
    c.kind === "category"
      ? fc.oneof(fc.constantFrom(...(c.categories ?? []), "unknown", "ZÜRICH"), fc.constant(null), fc.constant(Number.NaN), fc.constant(undefined))
      : fc.oneof(fc.constantFrom(-1, -0, 0, 0.5, 1, 2.5, 3, 1e-300, Infinity, -Infinity, Number.NaN), fc.double(), fc.constant(null));
  return fc.array(fc.tuple(...ir.columns!.map(cell)), { minLength: 1, maxLength: 6 });
}

/** The evaluator's raw score, or "refused" where a step refuses the row as scikit-learn does. */
function expectedRaw(ir: ModelIR, row: unknown[]): number | "refused" {
  try {
    return evaluatePredictRaw(ir, rowEncoder(ir.columns!)(row))[0]!;
  } catch (e) {
    if (e instanceof PreprocessError) return "refused";
    throw e;
  }
}

describe("table models: emitted modules agree with the evaluator", () => {
  for (const style of STYLES) {
    it(`${style}: rows as arrays and objects, batches as rows and columns`, async () => {
      await fc.assert(
        fc.asyncProperty(
          modelArb.chain((ir) => fc.tuple(fc.constant(ir), rowsArb(ir))),
          async ([ir, rows]) => {
            const mod = (await compileToModule(ir, style)) as unknown as Record<string, (...a: unknown[]) => unknown>;
            const names = ir.columns!.map((c) => c.name);
            const want = rows.map((r) => expectedRaw(ir, r));
            rows.forEach((r, i) => {
              const obj = Object.fromEntries(names.map((n, k) => [n, r[k]]));
              for (const x of [r, obj]) {
                if (want[i] === "refused") expect(() => mod.predictRaw!(x)).toThrow(RangeError);
                else
                  expect(Object.is(mod.predictRaw!(x), want[i]), `row ${i} ${JSON.stringify(r, (_, v) => (typeof v === "number" ? String(v) : v))}`).toBe(true);
              }
            });
            const cols = Object.fromEntries(names.map((n, k) => [n, rows.map((r) => r[k])]));
            if (want.includes("refused")) {
              expect(() => mod.predictRawBatch!(rows)).toThrow(RangeError);
              expect(() => mod.predictRawBatch!(cols, rows.length)).toThrow(RangeError);
            } else {
              const a = mod.predictRawBatch!(rows) as Float64Array;
              const b = mod.predictRawBatch!(cols, rows.length) as Float64Array;
              want.forEach((v, i) => {
                expect(Object.is(a[i], v)).toBe(true);
                expect(Object.is(b[i], v)).toBe(true);
              });
            }
          },
        ),
        { numRuns: 60 },
      );
    }, 120_000);
  }
});
