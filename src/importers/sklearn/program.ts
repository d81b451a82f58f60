// Builds the IR's preprocessing program (types.ts Preprocess) for a Pipeline: scratch slots, the steps that
// write them, and which slots hold codes of a string column (ModelIR.columns) rather than numbers.

import type { FuncName, InputColumn, PreStep, Preprocess } from "../../ir/types.ts";
import { describe } from "../zodHelpers.ts";
import type { Est } from "./doc.ts";

type Seg = string | number;

/** Code of None in a string column (types.ts InputColumn). */
export const NONE_CODE = -2;

/** One input of a lookup step: the encoder's categories and its output row for each, and for an unknown value. */
export interface LookupInput {
  slot: number;
  /** the fitted categories (strings, None as null, NaN, or numbers), in the encoder's order */
  categories: unknown[];
  /** where the categories are, for errors */
  at: Seg[];
  /** output row of each category */
  rows: number[][];
  /** output row of a value that is not a category (and of NaN when NaN is not one) */
  unknown: number[];
  /** scikit-learn raises on an unknown value (and on NaN when NaN is not a category) */
  unknownFails: boolean;
  width: number;
}

interface Vocabulary {
  strings: string[];
  index: Map<string, number>;
  none: boolean;
}

export class ProgramBuilder {
  slots: number;
  readonly steps: PreStep[] = [];
  /** set when a step's result depends on CPU kernels (numpy's einsum / pairwise sums) */
  inexact: string[] = [];
  /** applying a HistGradientBoosting model's own _preprocessor (its FunctionTransformer is a check_array partial) */
  hgbPreprocessor = false;
  /** string columns: input column → its vocabulary (codes are indices) */
  private readonly vocab = new Map<number, Vocabulary>();
  /** slots holding codes of a string input column → that column */
  private readonly stringSlots = new Map<number, number>();

  constructor(
    readonly nInputs: number,
    readonly names?: string[],
  ) {
    this.slots = nInputs;
  }

  fresh(n: number): Int32Array {
    const out = Int32Array.from({ length: n }, (_, k) => this.slots + k);
    this.slots += n;
    return out;
  }

  map(op: "sub" | "add" | "mul" | "div" | "fill" | "clip", cols: number[], a: number[], b?: number[]): number[] {
    const dst = this.fresh(cols.length);
    this.steps.push({ kind: "map", op, src: Int32Array.from(cols), dst, a: Float64Array.from(a), b: b ? Float64Array.from(b) : undefined });
    return Array.from(dst);
  }

  func(fn: FuncName, cols: number[]): number[] {
    const dst = this.fresh(cols.length);
    this.steps.push({ kind: "func", fn, src: Int32Array.from(cols), dst });
    return Array.from(dst);
  }

  /** A column's name for error messages in generated code. */
  label(slot: number): string {
    const input = slot < this.nInputs ? slot : this.stringSlots.get(slot);
    if (input === undefined) return `(derived column ${slot})`;
    return this.names?.[input] ?? `x${input}`;
  }

  /** The string input column whose codes `slot` holds, making an input column a string column on first use. */
  stringColumn(slot: number, t: Est, at: Seg[]): number {
    const c = this.stringSlots.get(slot);
    if (c !== undefined) return c;
    if (slot >= this.nInputs) return t.fail(`${t.cls} reads string categories from a numeric column (${this.label(slot)})`, at, "E_UNSUPPORTED");
    this.vocab.set(slot, { strings: [], index: new Map(), none: false });
    this.stringSlots.set(slot, slot);
    return slot;
  }

  markString(slot: number, column: number): void {
    this.stringSlots.set(slot, column);
  }

  isString(slot: number): boolean {
    return this.stringSlots.has(slot);
  }

  /** Numeric transformers refuse string columns, naming the column. */
  assertNumeric(cols: number[], t: Est): void {
    for (const s of cols)
      if (this.isString(s)) t.unsupported(`cannot read the string column ${JSON.stringify(this.label(s))} (only encoders and imputers can)`, ["class"]);
  }

  /** Code of string `s` in column `column`'s vocabulary (added on first use). */
  code(column: number, s: string): number {
    const v = this.vocab.get(column)!;
    let k = v.index.get(s);
    if (k === undefined) {
      k = v.strings.length;
      v.strings.push(s);
      v.index.set(s, k);
    }
    return k;
  }

  /** A lookup step over several inputs; returns the output slots, inputs' outputs side by side. */
  lookup(t: Est, inputs: LookupInput[]): number[] {
    const n = inputs.length;
    const dstStart = new Int32Array(n + 1);
    const keyStart = new Int32Array(n + 1);
    const tableStart = new Int32Array(n + 1);
    const keys: number[] = [];
    const table: number[] = [];
    const fail = new Int32Array(n);
    const label: string[] = [];
    const total = inputs.reduce((s, x) => s + x.width, 0);
    const dst = this.fresh(total);
    inputs.forEach((inp, k) => {
      const str = inp.categories.some((c) => typeof c === "string");
      const column = str ? this.stringColumn(inp.slot, t, inp.at) : undefined;
      if (!str && this.isString(inp.slot)) t.unsupported(`has numeric categories for the string column ${JSON.stringify(this.label(inp.slot))}`, inp.at);
      if (inp.rows.length !== inp.categories.length) t.fail(`expected ${inp.categories.length} output rows`, inp.at, "E_SHAPE");
      const pairs: [number, number[]][] = [];
      let nanRow: number[] | undefined;
      inp.categories.forEach((c, i) => {
        const row = inp.rows[i]!;
        if (row.length !== inp.width) t.fail(`expected ${inp.width} outputs per category`, inp.at, "E_SHAPE");
        if (typeof c === "number" && Number.isNaN(c)) {
          nanRow ??= row;
          return;
        }
        let key: number;
        if (column !== undefined) {
          if (typeof c === "string") key = this.code(column, c);
          else if (c === null) {
            key = NONE_CODE;
            this.vocab.get(column)!.none = true;
          } else return t.unsupported(`mixes strings and ${describe(c)} in one column's categories`, [...inp.at, "ndarray", "data", i]);
        } else {
          if (typeof c !== "number") return t.unsupported(`category ${describe(c)} is not supported`, [...inp.at, "ndarray", "data", i]);
          key = c === 0 ? 0 : c;
        }
        pairs.push([key, row]);
      });
      pairs.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < pairs.length; i++) if (pairs[i]![0] === pairs[i - 1]![0]) t.fail("duplicate categories", inp.at, "E_SHAPE");
      dstStart[k + 1] = dstStart[k]! + inp.width;
      keyStart[k + 1] = keyStart[k]! + pairs.length;
      for (const [key, row] of pairs) {
        keys.push(key);
        table.push(...row);
      }
      table.push(...(nanRow ?? inp.unknown), ...inp.unknown);
      tableStart[k + 1] = table.length;
      fail[k] = inp.unknownFails ? (nanRow ? 1 : 3) : 0;
      label.push(this.label(inp.slot));
    });
    this.steps.push({
      kind: "lookup",
      src: Int32Array.from(inputs, (x) => x.slot),
      dstStart,
      dst,
      keyStart,
      keys: Float64Array.from(keys),
      tableStart,
      table: Float64Array.from(table),
      fail,
      label,
    });
    return Array.from(dst);
  }

  /** A bins step (KBinsDiscretizer): the count of edges <= v per input. */
  bins(t: Est, cols: number[], edges: number[][]): number[] {
    this.assertNumeric(cols, t);
    const edgeStart = new Int32Array(cols.length + 1);
    edges.forEach((e, k) => {
      edgeStart[k + 1] = edgeStart[k]! + e.length;
    });
    const dst = this.fresh(cols.length);
    this.steps.push({
      kind: "bins",
      src: Int32Array.from(cols),
      dst,
      edgeStart,
      edges: Float64Array.from(edges.flat()),
      label: cols.map((s) => this.label(s)),
    });
    return Array.from(dst);
  }

  /**
   * The model's input columns (ModelIR.columns) when it was fitted on a table (named columns) or reads strings; a
   * column no step reads and no output is (dropped by every transformer) is "ignored".
   */
  columns(pre: Preprocess): InputColumn[] | undefined {
    if (this.vocab.size === 0 && !this.names) return undefined;
    const read = new Set<number>(pre.output);
    for (const st of pre.steps) {
      if (st.kind === "product") {
        for (const x of [...st.a, ...st.b]) read.add(x);
      } else for (const x of st.src) read.add(x);
    }
    return Array.from({ length: this.nInputs }, (_, i) => {
      const v = this.vocab.get(i);
      const name = this.names?.[i] ?? `x${i}`;
      if (v) return { name, kind: "category" as const, categories: v.strings, ...(v.none ? { none: true } : {}) };
      return { name, kind: read.has(i) ? ("number" as const) : ("ignored" as const) };
    });
  }

  finish(output: number[], t: Est): Preprocess {
    for (const s of output)
      if (this.isString(s))
        t.unsupported(`the string column ${JSON.stringify(this.label(s))} reaches the final estimator without an encoder`, ["attrs", "steps"]);
    return { slots: this.slots, steps: this.steps, output: Int32Array.from(output) };
  }
}
