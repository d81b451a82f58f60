// Writes generated AssemblyScript: for each model a namespace with its tables, its style's rawBlock_ (body.ts), the
// preprocessing, transform and decision, and the batch entry points; then top-level exports. One program may hold
// several models (tests batch many into one module, since each asc run has a fixed cost); exports of model i are
// prefixed with its unit prefix ("" for a single model).
//
// The ABI (used by loader.ts): memory is exported; `reserve(bytes)` makes room for `bytes` bytes at the heap base
// (growing memory) and returns that address, or 0 when memory cannot grow; `<p>predictBatch(rows, n, out)`,
// `<p>predictRawBatch`, `<p>predictProbaBatch` and (outlier detectors) `<p>scoreSamplesBatch` read n rows at `rows` (row-major, nFeatures values: f32 when the
// model casts its input to float32 and has no preprocessing, else f64) and write f64 results at `out` (predict: 1
// value per row, nOutputs for multi-output regression, one label per group for argmaxGroups; classes as labels
// when they are numbers, else indices; raw: nOutputs (an outlier detector's decision_function); proba: nProba per row;
// scoreSamples: 1).

import { modelWidth } from "../../src/ir/preprocess.ts";
import { apiShape, labelsByIndex } from "../../src/api/apiShape.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { batchBlock } from "../lower/batchBlock.ts";
import type { IfElseLimits } from "../lower/limits.ts";
import { kernelDecisionCount } from "../lower/ovoPairs.ts";
import type { Style } from "../style.ts";
import { asType, BLOCK, unsupported, type AsBody, type AsContext } from "./body.ts";
import { DataBlob, type Placement } from "./data.ts";
import { emitCompositeAs } from "./composite.ts";
import { emitIfElseAs } from "./ifelse.ts";
import { emitNeighborsAs } from "./neighbors.ts";
import { emitKernelAs } from "./kernel.ts";
import { emitLinearAs } from "./linear.ts";
import { emitMlpAs } from "./mlp.ts";
import { f64Lit } from "./literals.ts";
import { asRuntimeSource } from "./runtime.ts";
import { preprocessFails } from "../../src/ir/preprocess.ts";
import { preprocessAs } from "./preprocess.ts";
import { emitTableAs } from "./table.ts";
import { AS_TRANSFORMS } from "./transforms.ts";

export interface AsUnit {
  ir: ModelIR;
  style: Style;
  /** export prefix (a valid identifier start, e.g. "m3_"); "" for a single model */
  prefix: string;
  ifelseLimits?: IfElseLimits;
}

export interface AsProgram {
  source: string;
  /** the tables (blob placement): to be placed at BLOB_BASE as a data segment */
  blob: Uint8Array;
  /** asc --memoryBase: first address above the blob (0 for inline placement) */
  memoryBase: number;
  /** WebAssembly features the source needs beyond asc's defaults ("simd" where it uses v128: the table lockstep) */
  features?: string[];
}

/** Type of a row's values in the input batch: the model's input cast, or float64 before a preprocessing. */
export function rowType(ir: ModelIR): "f32" | "f64" {
  return ir.inputCast === "float32" && !ir.preprocess ? "f32" : "f64";
}

/** What the batch entry points write, from the model's ApiShape (src/api/apiShape.ts). */
export function outputShape(ir: ModelIR) {
  const api = apiShape(ir);
  return {
    multi: api.predict === "number[]",
    /** an outlier detector (ir.outlier): predictRaw is decision_function, and scoreSamplesBatch exists */
    outlier: api.scoreSamples === true,
    /** predict's values per row: the outputs (multi-output regression), one label per group, or one */
    perRow: api.predictWidth,
    nProba: api.proba,
    /** the wasm returns class indices that the loader maps to these labels */
    stringLabels: labelsByIndex(api),
  };
}

/**
 * Rows per block of this unit's batch loops: BLOCK, or for tree ensembles summed tree by tree as many rows as the JS
 * module takes (batchBlock: within 64 KB of rows, 16 to 256; on the 1000-tree XGBoost model 256 rows ran 1.1-1.2x
 * faster than 64, bench/batch-ab.mjs). Weighted-median ensembles keep BLOCK (their MV holds a value per tree and row).
 */
function blockOf(ir: ModelIR, xt: "f32" | "f64"): number {
  return ir.model.kind === "trees" && !ir.model.aggregate ? batchBlock(modelWidth(ir), xt === "f32" ? 4 : 8) : BLOCK;
}

function body(ctx: AsContext, unit: AsUnit): AsBody {
  const m = unit.ir.model;
  if (m.kind === "linear") return emitLinearAs(ctx, m);
  if (m.kind === "kernel") return emitKernelAs(ctx, m, blockOf(unit.ir, ctx.xt));
  if (m.kind === "mlp") return emitMlpAs(ctx, m);
  if (m.kind === "neighbors") return emitNeighborsAs(ctx, m, blockOf(unit.ir, ctx.xt));
  // a meta-estimator: each member a whole model namespace nested in this one (composite.ts)
  if (m.kind === "composite") return emitCompositeAs(ctx, m, blockOf(unit.ir, ctx.xt), (ir, ns) => emitUnit({ ...unit, ir, prefix: "" }, ns, ctx.data));
  if (m.kind !== "trees") unsupported(`${(m as { kind: string }).kind} models`);
  return unit.style === "ifelse" ? emitIfElseAs(ctx, m, unit.ifelseLimits) : emitTableAs(ctx, m);
}

type KnownDecision = Extract<ModelIR["decision"], { kind: "value" | "threshold" | "argmax" | "argmaxGroups" | "vote" }>;

/** The namespace of one model, and its runtime needs. */
function emitUnit(unit: AsUnit, ns: string, data: DataBlob): { code: string; runtime: Set<string> } {
  const { ir } = unit;
  const tr = AS_TRANSFORMS[ir.transform];
  if (!tr) unsupported(`the transform ${ir.transform}`);
  const ctx: AsContext = { ir, data, xt: asType(ir.inputCast) };
  const b = body(ctx, unit);
  const runtime = new Set([...b.runtime, ...tr.runtime]);
  const NO = ir.nOutputs;
  const NF = ir.nFeatures;
  const shape = outputShape(ir);
  if (!["value", "threshold", "argmax", "argmaxGroups", "vote"].includes(ir.decision.kind)) unsupported(`the decision ${ir.decision.kind}`);
  const d = ir.decision as KnownDecision;
  const xs = ctx.xt === "f32" ? 4 : 8;
  const W = modelWidth(ir);
  const block = blockOf(ir, ctx.xt);
  const lines: string[] = [
    `namespace ${ns} {`,
    `const ROW: usize = ${NF * (rowType(ir) === "f32" ? 4 : 8)};`,
    // raw scores of a block of rows (row r at ACC + r * 8 * NO), and one row's transformed outputs
    `const ACC = memory.data(${8 * NO * block}, 8);`,
    `const O = memory.data(${8 * NO}, 8);`,
    ...b.code,
  ];
  // scikit-learn pipelines: each float64 row goes through the preprocessing into XB (the model's input, cast)
  const pre = ir.preprocess;
  if (pre) lines.push(`const XB = memory.data(${W * xs * block}, 8);`, ...preprocessAs(ctx, pre, runtime));
  // LightGBM kZeroThreshold: values with |x| <= z (after the cast), -0 included, become +0; done in place on the row
  const snap = ir.inputZeroSnap;
  if (snap !== undefined) {
    lines.push(
      "function snap_(x: usize): void {",
      `  for (let i = 0; i < ${W}; i++) {`,
      `    const p = x + (<usize>i << ${xs === 4 ? 2 : 3});`,
      `    if (abs<f64>(<f64>load<${ctx.xt}>(p)) <= ${f64Lit(snap)}) store<${ctx.xt}>(p, 0.0);`,
      "  }",
      "}",
    );
  }
  lines.push(
    `/** Raw scores of n <= ${block} rows into ACC. */`,
    "function block_(rows: usize, n: i32): void {",
    ...(pre
      ? [`  for (let i = 0; i < n; i++) pre_(rows + <usize>i * ROW, XB + <usize>i * ${W * xs});`, "  const x = XB;", `  const stride: usize = ${W * xs};`]
      : ["  const x = rows;", "  const stride = ROW;"]),
    ...(snap !== undefined ? ["  for (let i = 0; i < n; i++) snap_(x + <usize>i * stride);"] : []),
    "  rawBlock_(x, n, stride);",
    "}",
  );
  // LightGBM average_output: the transform sees the raw scores divided once (predictRaw does not)
  const divided = ir.outputDivisor !== undefined;
  if (divided) lines.push(`const T = memory.data(${8 * NO}, 8);`);
  const transformLines = (arg: string): string[] => [
    ...(divided ? [`  for (let k = 0; k < ${NO}; k++) store<f64>(T + (<usize>k << 3), load<f64>(R + (<usize>k << 3)) / ${f64Lit(ir.outputDivisor!)});`] : []),
    `  ${tr.code(NO, arg, divided ? "T" : "R")}`,
  ];
  lines.push("function transform_(R: usize): void {", ...transformLines(f64Lit(ir.transformArg ?? 1)), "}");
  // outlier detectors: score_samples (IsolationForest: the transform before its subtraction of offset_, into O)
  const outlier = ir.outlier;
  if (outlier)
    lines.push(
      "function score_(R: usize): f64 {",
      ...(outlier.kind === "scoreMinusOffset" ? [...transformLines("0.0"), "  return load<f64>(O);"] : [`  return load<f64>(R) + ${f64Lit(outlier.offset)};`]),
      "}",
    );
  if (d.kind === "argmaxGroups") {
    // several classifications: argmax within each group of output slots, its label from that group's classes
    runtime.add("common.as");
    const src = d.on === "raw" ? "R" : "O";
    lines.push(data.f64("GL", ir.outputClasses!.flat()));
    const g = ["function decideGroups_(R: usize, o: usize): void {", ...(d.on === "output" ? ["  transform_(R);"] : [])];
    let off = 0;
    d.groups.forEach((n, k) => {
      g.push(`  store<f64>(o, load<f64>(GL + (<usize>(${off} + argmax(${src} + ${8 * off}, ${n})) << 3)), ${8 * k});`);
      off += n;
    });
    g.push("}");
    lines.push(g.join("\n"));
  } else if (d.kind === "vote" && ir.model.kind === "neighbors") {
    // the class the neighbors body stored for row i of the block
    lines.push("function decide_(R: usize, i: i32): i32 {", "  return load<i32>(CB + (<usize>i << 2));", "}");
  } else if (d.kind === "vote") {
    // libsvm's one-vs-one vote on row i's pair decisions (kernel models)
    if (ir.model.kind !== "kernel") unsupported("a vote decision without a kernel model");
    lines.push("function decide_(R: usize, i: i32): i32 {", `  return vote_(DB + <usize>i * ${8 * kernelDecisionCount(ir.model)});`, "}");
  } else if (d.kind !== "value") {
    const src = d.on === "raw" ? "R" : "O";
    if (d.kind === "argmax") runtime.add("common.as");
    lines.push(
      "function decide_(R: usize, i: i32): i32 {",
      ...(d.on === "output" ? ["  transform_(R);"] : []),
      d.kind === "threshold" ? `  return load<f64>(${src}) ${d.op} ${f64Lit(d.value)} ? 1 : 0;` : `  return argmax(${src}, ${NO});`,
      "}",
    );
  }
  const copyOut = (from: string, n: number, to: string) =>
    n === 1
      ? `store<f64>(${to}, load<f64>(${from}));`
      : `for (let k = 0; k < ${n}; k++) store<f64>(${to} + (<usize>k << 3), load<f64>(${from} + (<usize>k << 3)));`;
  const loop = (name: string, per: number, stmt: string) => [
    `export function ${name}(rows: usize, n: i32, out: usize): void {`,
    `  for (let b = 0; b < n; b += ${block}) {`,
    `    const m = min<i32>(${block}, n - b);`,
    "    block_(rows + <usize>b * ROW, m);",
    "    for (let i = 0; i < m; i++) {",
    `      const R = ACC + <usize>i * ${8 * NO};`,
    `      const o = out + <usize>(b + i) * ${8 * per};`,
    `      ${stmt}`,
    "    }",
    "  }",
    "}",
  ];
  // predictRaw: the raw scores, or an IsolationForest's decision_function (the transformed output)
  const rawIsOutput = outlier?.kind === "scoreMinusOffset";
  lines.push(...loop("predictRawBatch", NO, rawIsOutput ? `transform_(R); ${copyOut("O", NO, "o")}` : copyOut("R", NO, "o")));
  if (outlier) lines.push(...loop("scoreSamplesBatch", 1, "store<f64>(o, score_(R));"));
  let predictStmt: string;
  if (d.kind === "value") predictStmt = `transform_(R); ${copyOut("O", shape.perRow, "o")}`;
  else if (d.kind === "argmaxGroups") predictStmt = "decideGroups_(R, o);";
  else if (ir.classes && !shape.stringLabels) {
    lines.push(data.f64("CL", ir.classes as number[]));
    predictStmt = "store<f64>(o, load<f64>(CL + (<usize>decide_(R, i) << 3)));";
  } else predictStmt = "store<f64>(o, <f64>decide_(R, i));";
  lines.push(...loop("predictBatch", shape.perRow, predictStmt));
  if (ir.proba.kind !== "none") {
    const stmt =
      ir.proba.kind === "binary"
        ? `transform_(R); const p = load<f64>(O); store<f64>(o, ${ir.proba.numberType === "float32" ? "<f64><f32>(1.0 - p)" : "1.0 - p"}); store<f64>(o, p, 8);`
        : ir.proba.kind === "softmaxHalves"
          ? "transform_(R); skSoftmaxHalves(load<f64>(O), o);"
          : ir.proba.kind === "libsvm"
            ? libsvmStmt(ir, lines, data, runtime)
            : `transform_(R); ${copyOut("O", shape.nProba, "o")}`;
    if (ir.proba.kind === "softmaxHalves") runtime.add("sk.as");
    lines.push(...loop("predictProbaBatch", shape.nProba, stmt));
  }
  lines.push(`} // namespace ${ns}`);
  return { code: lines.join("\n"), runtime };
}

const RESERVE = `/** Room for \`bytes\` bytes at the (16-aligned) heap base, growing memory as needed; 0 when it cannot grow. */
export function reserve(bytes: usize): usize {
  const base = (__heap_base + 15) & ~(<usize>15);
  const need = <u64>base + <u64>bytes;
  const have = <u64>memory.size() << 16;
  if (need > have) {
    if (need > (<u64>65536 << 16)) return 0;
    if (memory.grow(<i32>((need - have + 0xffff) >> 16)) < 0) return 0;
  }
  return base;
}`;

/** AssemblyScript source for the given models. */
export function emitAsProgram(units: AsUnit[], placement: Placement, header: string): AsProgram {
  const data = new DataBlob(placement);
  const runtime = new Set<string>();
  const parts: string[] = [];
  const exports: string[] = [];
  units.forEach((u, i) => {
    const ns = `model${i}`;
    const { code, runtime: rt } = emitUnit(u, ns, data);
    for (const r of rt) runtime.add(r);
    parts.push(code);
    const names = [
      "predictRawBatch",
      "predictBatch",
      ...(u.ir.proba.kind !== "none" ? ["predictProbaBatch"] : []),
      ...(u.ir.outlier ? ["scoreSamplesBatch"] : []),
    ];
    for (const n of names) exports.push(`export function ${u.prefix}${n}(rows: usize, n: i32, out: usize): void {\n  ${ns}.${n}(rows, n, out);\n}`);
    if (preprocessFails(u.ir)) exports.push(`export function ${u.prefix}preFail(): i32 {\n  return ${ns}.preFail();\n}`);
  });
  const source = [header, asRuntimeSource(runtime), RESERVE, ...parts, ...exports].filter((s) => s !== "").join("\n\n") + "\n";
  return { source, blob: data.bytes(), memoryBase: data.end(), features: /\bv128\b/.test(source) ? ["simd"] : [] };
}

/**
 * libsvm probabilities (SVC/NuSVC probability=True): Platt's A and B per pair and the coupling's scratch declared
 * in `lines`; the batch statement for row i of the block, from its pair decisions in the kernel body's DB.
 */
function libsvmStmt(ir: ModelIR, lines: string[], data: DataBlob, runtime: Set<string>): string {
  const m = ir.model;
  if (m.kind !== "kernel" || m.form !== "ovo" || ir.proba.kind !== "libsvm") return unsupported("libsvm probabilities without a one-vs-one kernel model");
  const K = m.counts.length;
  runtime.add("libsvm.as");
  lines.push(
    data.f64("PA", ir.proba.probA),
    data.f64("PB", ir.proba.probB),
    `const LSR = memory.data(${8 * K * K}, 8);`,
    `const LSQ = memory.data(${8 * K * K}, 8);`,
    `const LSQP = memory.data(${8 * K}, 8);`,
    `const LSP = memory.data(${8 * K}, 8);`,
  );
  return `libsvmProba(DB + <usize>i * ${8 * kernelDecisionCount(m)}, PA, PB, ${K}, o, LSR, LSQ, LSQP, LSP);`;
}
