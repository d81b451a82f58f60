// Compares a generated module's outputs with the library's expected outputs, row by row:
// exact for float32-computed models, ≤ 1 ulp for float64 ones, or a user's absolute tolerance.

import { CompileError } from "./errors.ts";
import type { GeneratedModule } from "./compiledModule.ts";
import type { ModelIR } from "./ir/types.ts";
import { ulpDistance } from "./numeric/ulp.ts";
import { modelWidth, runPreprocess } from "./ir/preprocess.ts";
import { kernelValues } from "./ir/kernel.ts";
import type { CompositeModel, KernelModel } from "./ir/types.ts";
import { mlpBound } from "./parityMlp.ts";
import { knnOutputBound, knnTieRow } from "./ir/neighbors.ts";
import { castRow, evaluatePredict, evaluatePredictRaw, evaluateProba, evaluateRaw } from "./ir/evaluate.ts";
import { compositeCombine, memberRow } from "./ir/composite.ts";

export interface ExpectedOutputs {
  predict?: unknown[];
  predict_proba?: unknown[];
  raw?: unknown[];
  /** scikit-learn's decision_function: compared with predictRaw */
  decision_function?: unknown[];
  /** outlier detectors: compared with scoreSamples */
  score_samples?: unknown[];
}

export type OutputName = "predict" | "predict_proba" | "raw" | "decision_function" | "score_samples";

export type Rule =
  | { kind: "exact" }
  /** within `ulps`, or within rowAbs(row)·max(1, |expected|) when given (BLAS dot-product error bound) */
  | {
      kind: "ulps";
      ulps: number;
      rowAbs?: (row: ArrayLike<number>) => number;
      rowAbsName?: string;
      /** neighbors models: the row's neighbours are decided by a tie within the rounding bound (any answer is parity) */
      tieRow?: (row: ArrayLike<number>) => boolean;
    }
  | { kind: "tolerance"; abs: number };

export interface Mismatch {
  output: OutputName;
  row: number;
  index: number;
  got: number | string;
  expected: number | string;
  ulps: number;
  absDiff: number;
}

export interface OutputReport {
  output: OutputName;
  compared: number;
  /** bit-for-bit equal values (Object.is; labels as strings) */
  equal: number;
  /** accepted by the rule without being bit-equal */
  withinRule: number;
  mismatches: number;
  maxUlps: number;
  maxAbs: number;
}

export interface ParityReport {
  rows: number;
  rule: Rule;
  outputs: OutputReport[];
  worst: Mismatch[];
  skipped: string[];
  /** neighbors models: rows whose neighbours a tie within the rounding bound decided, and those of them that differ */
  ties?: { rows: number[]; differing: number[] };
  ok: boolean;
}

/** The default rule for a model: exact unless the IR says the library's result is CPU-dependent. */
export function defaultRule(ir: ModelIR): Rule {
  const p = ir.parity ?? "exact";
  if (p === "exact") return { kind: "exact" };
  const model = ir.model;
  if (p.dotProduct && model.kind === "kernel") return { kind: "ulps", ulps: p.ulps, rowAbs: kernelBound(ir, model) };
  // multi-layer perceptrons: the bound per unit, carried through the layers and activations (src/parityMlp.ts)
  if (p.dotProduct && model.kind === "mlp") return { kind: "ulps", ulps: p.ulps, rowAbs: mlpBound(ir, model) };
  if (p.neighborTies && model.kind === "neighbors")
    return {
      kind: "ulps",
      ulps: p.ulps,
      rowAbs: (row) => knnOutputBound(ir, model, castRow(ir, row)),
      rowAbsName: "the distance rounding bound",
      tieRow: (row) => knnTieRow(ir, model, castRow(ir, row)),
    };
  if (p.dotProduct && model.kind === "composite") return { kind: "ulps", ulps: p.ulps, rowAbs: compositeBound(ir, model) };
  if (p.absolute !== undefined) {
    const abs = p.absolute;
    return { kind: "ulps", ulps: p.ulps, rowAbs: () => abs, rowAbsName: `${abs.toExponential(2)} absolute` };
  }
  if (!p.dotProduct || model.kind !== "linear") return { kind: "ulps", ulps: p.ulps };
  const G = ir.nOutputs;
  const n = modelWidth(ir);
  const pre = ir.preprocess;
  // summation error bound of a length-n dot product plus bias: n·eps·(Σ|xᵢwᵢ| + |b|), worst output
  const rowAbs = (input: ArrayLike<number>): number => {
    const row = pre ? runPreprocess(pre, ir.nFeatures, input) : input;
    let worst = 0;
    for (let g = 0; g < G; g++) {
      let s = Math.abs(model.bias[g]!);
      for (let i = 0; i < n; i++) s += Math.abs(row[i]! * model.weights[i * G + g]!);
      worst = Math.max(worst, s);
    }
    return (n + 1) * 2.220446049250313e-16 * worst;
  };
  return { kind: "ulps", ulps: p.ulps, rowAbs };
}

const EPS = 2.220446049250313e-16;

/**
 * First-order error bound of a kernel machine's decisions when every dot product is summed in an
 * unknown order: each kernel value's error from its dot product (W·eps·Σ|terms|, through the kernel's
 * derivative), plus the rounding of the coefficient sums, doubled for safety; times the classes for
 * the ovr shape (sums of K - 1 decisions).
 */
function kernelBound(ir: ModelIR, m: KernelModel): (row: ArrayLike<number>) => number {
  const W = modelWidth(ir);
  const pre = ir.preprocess;
  return (input) => {
    const x = pre ? runPreprocess(pre, ir.nFeatures, input) : input;
    const k = kernelValues(m, W, x, Math.exp);
    let worst = 0;
    const nCoefRows = m.form === "single" ? 1 : m.counts.length - 1;
    for (let r = 0; r < nCoefRows; r++) {
      let err = 0;
      let mag = 0;
      for (let s = 0; s < m.nSV; s++) {
        let terms = 0;
        for (let i = 0; i < W; i++) {
          const d = m.kernel === "rbf" ? (x[i]! - m.vectors[s * W + i]!) ** 2 : Math.abs(x[i]! * m.vectors[s * W + i]!);
          terms += d;
        }
        const dotErr = W * EPS * terms;
        const ks = Math.abs(k[s]!);
        let kErr: number;
        if (m.kernel === "linear") kErr = dotErr;
        else if (m.kernel === "rbf") kErr = ks * m.gamma * dotErr;
        else if (m.kernel === "sigmoid") kErr = m.gamma * dotErr;
        else if (m.degree === 0) kErr = 0;
        else {
          // k = base^d with |base| = k^(1/d): dk = d·|base|^(d-1)·γ·d(dot), plus powi's d roundings
          const base = Math.pow(ks, 1 / m.degree);
          kErr = m.degree * Math.pow(base, m.degree - 1) * m.gamma * dotErr + m.degree * EPS * ks;
        }
        const c = Math.abs(m.coef[r * m.nSV + s]!);
        err += c * (kErr + EPS * ks);
        mag += c * ks;
      }
      worst = Math.max(worst, err + (m.nSV + 1) * EPS * mag);
    }
    return 2 * worst * (m.rawShape === "ovr" ? m.counts.length : 1);
  };
}

/**
 * A composite's error from its members' CPU-dependent outputs: each member's own bound (its rowAbs and ulps, at the
 * magnitude of its raw scores) scaled by its weight over the divisor, summed. Probabilities move by at most as much as
 * the raw scores under expit/softmax, so the raw scores' bound covers predict_proba members too.
 */
function compositeBound(ir: ModelIR, c: CompositeModel): (row: ArrayLike<number>) => number {
  const parts = c.members.map((m) => ({ m, rule: defaultRule(m.ir), scale: Math.abs(m.weight ?? 1) / Math.abs(c.divisor ?? 1) }));
  const mag = (v: Float64Array) => Math.max(1, ...Array.from(v, (a) => (Number.isFinite(a) ? Math.abs(a) : 0)));
  // Stacking: a linear final model carries its inputs' errors through its weights (the largest per input, summed)
  const final = c.final;
  const finalRule = final ? defaultRule(final.ir) : undefined;
  let gain = 1;
  if (final && final.ir.model.kind === "linear") {
    const lin = final.ir.model;
    const G = final.ir.nOutputs;
    gain = 0;
    for (let j = 0; j < final.width; j++) {
      let w = 0;
      for (let g = 0; g < G; g++) w = Math.max(w, Math.abs(lin.weights[j * G + g]!));
      gain += w;
    }
  }
  return (input) => {
    const x = castRow(ir, input);
    let s = 0;
    for (const { m, rule, scale } of parts) {
      if (rule.kind !== "ulps") continue;
      const row = memberRow(m, x);
      const size = mag(evaluateRaw(m.ir, row));
      s += scale * (rule.rowAbs ? rule.rowAbs(row) : 0) * size + scale * rule.ulps * EPS * size;
    }
    if (!final || finalRule?.kind !== "ulps") return s * gain;
    const z = compositeCombine(c, ir.nOutputs, x, { predict: evaluatePredict, proba: evaluateProba, raw: evaluatePredictRaw });
    const size = mag(evaluateRaw(final.ir, z));
    return s * gain + (finalRule.rowAbs ? finalRule.rowAbs(z) : 0) * size + finalRule.ulps * EPS * size;
  };
}

function withinRule(rule: Rule, got: number, exp: number, rowAbs = 0): boolean {
  if (rule.kind === "exact") return Object.is(got, exp);
  if (Number.isNaN(got) || Number.isNaN(exp)) return Number.isNaN(got) && Number.isNaN(exp);
  if (rule.kind === "ulps") return got === exp || ulpDistance(got, exp) <= rule.ulps || Math.abs(got - exp) <= rowAbs * Math.max(1, Math.abs(exp));
  return got === exp || Math.abs(got - exp) <= rule.abs;
}

/** A row's expected value as a flat vector (multi-output predict_proba nests one list per output). */
function asVector(v: unknown): unknown[] {
  return Array.isArray(v) ? (v.some(Array.isArray) ? (v as unknown[]).flat(Infinity) : v) : [v];
}

export function compareWithExpected(
  mod: GeneratedModule,
  rows: Float64Array,
  nRows: number,
  nCols: number,
  expected: ExpectedOutputs,
  rule: Rule,
  keepWorst = 10,
  file?: string,
): ParityReport {
  const outputs: OutputReport[] = [];
  const all: Mismatch[] = [];
  const skipped: string[] = [];
  const known = ["predict", "predict_proba", "raw", "decision_function", "score_samples"];
  for (const key of Object.keys(expected)) if (!known.includes(key)) skipped.push(`${key} (not an output modelc knows)`);

  // neighbors models: rows decided by a tie within the rounding bound accept any answer, and are reported
  const tieRow = rule.kind === "ulps" && rule.tieRow ? rule.tieRow : undefined;
  const tieRows = new Set<number>();
  const tieDiffering = new Set<number>();
  if (tieRow) for (let r = 0; r < nRows; r++) if (tieRow(rows.subarray(r * nCols, (r + 1) * nCols))) tieRows.add(r);
  const check = (output: Mismatch["output"], fn: ((x: ArrayLike<number>) => unknown) | undefined) => {
    const exp = expected[output];
    if (exp === undefined) return;
    if (!fn) {
      skipped.push(`${output} (the model has no ${output})`);
      return;
    }
    if (!Array.isArray(exp) || exp.length !== nRows)
      throw new CompileError("E_INPUT", `expected ${nRows} ${output} entries (one per row), got ${Array.isArray(exp) ? exp.length : typeof exp}`, {
        file,
        path: `$.${output}`,
      });
    const rep: OutputReport = { output, compared: 0, equal: 0, withinRule: 0, mismatches: 0, maxUlps: 0, maxAbs: 0 };
    for (let r = 0; r < nRows; r++) {
      const row = rows.subarray(r * nCols, (r + 1) * nCols);
      const rowAbs = rule.kind === "ulps" && rule.rowAbs ? rule.rowAbs(row) : 0;
      const got = fn(row);
      const gv = got instanceof Float64Array ? Array.from(got) : asVector(got);
      const ev = asVector(exp[r]);
      if (gv.length !== ev.length)
        throw new CompileError("E_INPUT", `row ${r}: expected ${ev.length} values, the model gives ${gv.length}`, {
          file,
          path: `$.${output}[${r}]`,
        });
      for (let i = 0; i < ev.length; i++) {
        rep.compared++;
        const g = gv[i] as number | string;
        const e = ev[i] as number | string;
        let same: boolean;
        let ulps = 0;
        let absDiff = 0;
        if (typeof g === "number" && typeof e === "number") {
          same = withinRule(rule, g, e, rowAbs);
          if (Object.is(g, e)) rep.equal++;
          else if (same) rep.withinRule++;
          ulps = ulpDistance(g, e);
          absDiff = Math.abs(g - e);
          if (Number.isNaN(absDiff)) absDiff = Number.isNaN(g) && Number.isNaN(e) ? 0 : Infinity;
        } else {
          same = String(g) === String(e);
          if (same) rep.equal++;
          ulps = same ? 0 : Infinity;
          absDiff = same ? 0 : Infinity;
        }
        if (!same && tieRows.has(r)) {
          rep.withinRule++;
          tieDiffering.add(r);
        } else if (!same) {
          rep.mismatches++;
          rep.maxUlps = Math.max(rep.maxUlps, ulps);
          rep.maxAbs = Math.max(rep.maxAbs, absDiff);
          all.push({ output, row: r, index: i, got: g, expected: e, ulps, absDiff });
        }
      }
    }
    outputs.push(rep);
  };
  check("predict", mod.predict);
  check("predict_proba", mod.predictProba);
  check("raw", mod.predictRaw);
  // predictRaw is scikit-learn's decision_function (for outlier detectors too)
  check("decision_function", mod.predictRaw);
  check("score_samples", mod.scoreSamples);
  all.sort((a, b) => b.absDiff - a.absDiff || b.ulps - a.ulps || a.row - b.row);
  return {
    rows: nRows,
    rule,
    outputs,
    worst: all.slice(0, keepWorst),
    skipped,
    ...(tieRow ? { ties: { rows: [...tieRows], differing: [...tieDiffering].sort((a, b) => a - b) } } : {}),
    ok: outputs.every((o) => o.mismatches === 0),
  };
}

export function formatReport(rep: ParityReport, title: string): string {
  const rule =
    rep.rule.kind === "exact"
      ? "exact"
      : rep.rule.kind === "ulps"
        ? `≤ ${rep.rule.ulps} ulp${rep.rule.rowAbs ? ` or ${rep.rule.rowAbsName ?? "the BLAS dot-product bound"}` : ""}`
        : `|diff| ≤ ${rep.rule.abs}`;
  const lines = [`${title}: ${rep.rows} rows, rule ${rule}`];
  for (const o of rep.outputs) {
    lines.push(
      `  ${o.output.padEnd(17)} ${o.equal}/${o.compared} equal` +
        (o.withinRule ? `, ${o.withinRule} within rule` : "") +
        (o.mismatches ? `, ${o.mismatches} differ (max ${o.maxUlps === Infinity ? "∞" : o.maxUlps} ulp, max |diff| ${o.maxAbs})` : ""),
    );
  }
  for (const s of rep.skipped) lines.push(`  not checked: ${s}`);
  if (rep.ties) {
    const list = (rs: number[]) => rs.slice(0, 20).join(", ") + (rs.length > 20 ? ", …" : "");
    lines.push(
      `  ties: ${rep.ties.rows.length} row${rep.ties.rows.length === 1 ? "" : "s"} where neighbours within the distance rounding bound (or tied) decided` +
        (rep.ties.rows.length ? ` (rows ${list(rep.ties.rows)})` : "") +
        (rep.ties.differing.length ? `; ${rep.ties.differing.length} of them differ (rows ${list(rep.ties.differing)})` : ""),
    );
  }
  if (rep.worst.length) {
    lines.push("  worst rows:");
    for (const m of rep.worst)
      lines.push(
        `    row ${m.row} ${m.output}[${m.index}]: got ${fmt(m.got)}, expected ${fmt(m.expected)} (|diff| ${m.absDiff}, ${m.ulps === Infinity ? "∞" : m.ulps} ulp)`,
      );
  }
  lines.push(rep.ok ? "  OK" : "  MISMATCH");
  return lines.join("\n");
}

function fmt(v: number | string): string {
  return typeof v === "string" ? JSON.stringify(v) : Object.is(v, -0) ? "-0" : String(v);
}
