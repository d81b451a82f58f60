// Writes the generated TypeScript module: meta, the public API of docs/SPEC.md around a style's body,
// row checks, batch loops, and the runtime helpers it uses. The module imports nothing. Which functions it
// exports and their signatures come from the model's ApiShape (src/api).

import { apiShape, hasFunction, labelsByIndex, type ApiFunction } from "../../src/api/apiShape.ts";
import { moduleLabelType, paramsOf, returnTypeOf, tableRowsType, tableRowType } from "../../src/api/apiTypes.ts";
import { metaOf } from "../../src/api/meta.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { generatedBanner } from "../banner.ts";
import { batchBlock } from "../lower/batchBlock.ts";
import { dataLit, numLit, strLit } from "../literals.ts";
import { runtimeExports, runtimeSource } from "../runtimeSource.ts";
import { tableRowsCode } from "../tableRows.ts";
import { typedConst, type Body } from "./body.ts";
import { preprocessCode } from "./preprocess.ts";
import { TRANSFORM_CODE } from "./transformCode.ts";

export interface ModuleInfo {
  style: string;
  /**
   * Import runtime helpers from this module specifier instead of inlining them (bundles share one
   * runtime chunk). The default inlines them and the module imports nothing.
   */
  runtimeImport?: string;
  /**
   * A composite model's member (emitters/ts/composite.ts): the module without its banner and `export`s, to be wrapped
   * in a closure; its runtime helpers are added to this set instead of being inlined or imported.
   */
  embedded?: Set<string>;
}

/** Single-row vector results up to this length are returned as an array literal of their values; longer ones built by a loop. */
const VEC_LITERAL_MAX = 32;

export function writeModule(ir: ModelIR, body: Body, info: ModuleInfo): string {
  const NF = ir.nFeatures;
  const NO = ir.nOutputs;
  const xt = ir.inputCast === "float32" ? "Float32Array" : "Float64Array";
  const tr = TRANSFORM_CODE[ir.transform];
  const runtime = new Set(body.runtime);
  for (const r of tr.runtime) runtime.add(r);
  const api = apiShape(ir);
  const hasProba = hasFunction(api, "predictProba");
  const nProba = api.proba;
  if (ir.proba.kind === "softmaxHalves") runtime.add("skSoftmax.ts");
  // libsvm probabilities: Platt's A and B per pair, applied to the kernel body's pair decisions
  const probaDecls: string[] = [];
  if (ir.proba.kind === "libsvm") {
    if (!body.decisions) throw new Error("internal: libsvm probabilities need the kernel body's pair decisions");
    runtime.add("libsvmProba.ts");
    probaDecls.push(typedConst("PA", "Float64Array", ir.proba.probA, runtime), typedConst("PB", "Float64Array", ir.proba.probB, runtime));
  }
  const d = ir.decision;
  if (d.kind === "argmax") runtime.add("argmax.ts");
  const labels = ir.classes;
  const labelType = moduleLabelType(api);
  const groups = d.kind === "argmaxGroups" ? d.groups : undefined;
  if (groups) runtime.add("argmax.ts");
  const multi = api.predict === "number[]";
  /** `export function fn(params): type {`, the signature of docs/SPEC.md's `fn` for this model */
  const ex = info.embedded ? "" : "export ";
  const pre = preprocessCode(ir, runtime);
  // table models (ModelIR.columns): rows as arrays or objects by column name, strings in category columns; a member
  // of a composite (embedded) reads the numbers its parent encoded
  const table = api.columns !== undefined && !info.embedded;
  const shape = table ? api : { ...api, columns: undefined };
  const define = (fn: ApiFunction): string => `${ex}function ${fn}(${paramsOf(fn, "definition", shape, true)}): ${returnTypeOf(api, fn, labelType)} {`;

  const transformLines = (arg: string): string[] =>
    ir.outputDivisor !== undefined
      ? [
          // average_output: raw scores divided before the transform, R itself untouched
          `  const Rr = R; const R_ = new Float64Array(NO); for (let k = 0; k < NO; k++) R_[k] = Rr[k]! / ${numLit(ir.outputDivisor)};`,
          `  ((R: Float64Array) => { ${tr.code(NO, arg)} })(R_);`,
        ]
      : [`  ${tr.code(NO, arg)}`];
  // predictRaw's value after the body: the raw scores, or an IsolationForest's decision_function (the transformed output)
  const rawIsOutput = ir.outlier?.kind === "scoreMinusOffset";

  const out: string[] = [];
  out.push(
    info.embedded ? "" : generatedBanner({ style: info.style }),
    info.embedded ? "" : "/* eslint-disable */",
    `${ex}const meta = ${dataLit(metaOf(ir, api))} as const;`,
    "",
    `const NF = ${NF};`,
    `const NO = ${NO};`,
    pre ? `const X = new ${xt}(${ir.preprocess!.output.length});` : `const X = new ${xt}(NF);`,
    "const R = new Float64Array(NO);",
    "const O = new Float64Array(NO);",
  );
  // scratch of predictProba and multi-output predict: filled like a batch's row, then returned as a plain array
  const p1 = Math.max(hasProba ? nProba : 0, groups ? groups.length : 0);
  if (p1 > 0) out.push(`const P1 = new Float64Array(${p1});`);
  if (labels) out.push(`const CLASSES: readonly ${labelType}[] = ${dataLit(labels)};`);
  if (table) {
    const row = tableRowType(api.columns!);
    out.push(
      `/** One row: an array in column order, or an object by column name (${api.columns!.some((c) => c.kind === "category") ? "strings in category columns, " : ""}null/undefined missing). */`,
      `export type Row = ${row};`,
      "/** A batch: an array of rows, or an object of columns by name (typed arrays row-major when every column is numeric). */",
      `export type Rows = ${tableRowsType(api.columns!, "Row")};`,
      ...tableRowsCode(ir, true),
    );
  }
  if (info.embedded) for (const r of runtime) info.embedded.add(r);
  else if (info.runtimeImport !== undefined) {
    const names = runtimeExports(runtime);
    if (names.length) out.splice(2, 0, `import { ${names.join(", ")} } from ${strLit(info.runtimeImport)};`);
  }
  // inlined runtime: written last (below), once the code that uses it is known
  const runtimeAt = info.runtimeImport !== undefined || info.embedded ? -1 : out.push("") - 1;
  if (pre) out.push(...pre);
  out.push(...body.code);

  // Row loading: one row into X with the model's cast; null/undefined are missing values.
  if (table)
    out.push(
      "function loadRow(x: Row): void {",
      ...(pre
        ? ["  tableRow_(x, S, 0);", "  pre_();"]
        : xt === "Float64Array"
          ? ["  tableRow_(x, X, 0);"]
          : [`  const T = new Float64Array(NF);`, "  tableRow_(x, T, 0);", "  X.set(T);"]),
      "}",
      `function row_(x: Row): ${xt} {`,
      "  loadRow(x);",
      "  return X;",
      "}",
    );
  else
    out.push(
      `function loadRow(x: ArrayLike<number>): void {`,
      `  if (x == null || typeof x.length !== "number") throw new TypeError(${strLit(`modelc model ${ir.name}: a row must be an array of ${NF} numbers`)});`,
      `  if (x.length !== NF) throw new RangeError(${strLit(`modelc model ${ir.name}: expected a row of ${NF} features, got `)} + x.length);`,
      "  for (let i = 0; i < NF; i++) {",
      "    const v = x[i] as unknown;",
      pre
        ? `    if (typeof v === "number") S[i] = v;`
        : ir.inputZeroSnap !== undefined
          ? `    if (typeof v === "number") { X[i] = v; const c = X[i]!; if (c <= ${numLit(ir.inputZeroSnap)} && c >= -${numLit(ir.inputZeroSnap)}) X[i] = 0; }`
          : `    if (typeof v === "number") X[i] = v;`,
      pre ? "    else if (v == null) S[i] = NaN;" : "    else if (v == null) X[i] = NaN;",
      `    else throw new TypeError(${strLit(`modelc model ${ir.name}: feature `)} + i + " is not a number");`,
      "  }",
      ...(pre ? ["  pre_();"] : []),
      "}",
      // The row as the body reads it: a typed array of the model's input type and length is used as it is (no copy,
      // no per-feature checks; the body only reads it); anything else is checked and copied into X.
      `function row_(x: ArrayLike<number>): ${xt} {`,
      ...(pre || ir.inputZeroSnap !== undefined ? [] : [`  if (x instanceof ${xt} && x.length === NF) return x;`]),
      "  loadRow(x);",
      "  return X;",
      "}",
    );
  // Bodies that read the features in order (Body.checkedRaw: linear models) score a row that is not a Float64Array
  // in place, each feature checked as it is read (num_: loadRow's test, NaN for null/undefined and loadRow's error, in
  // the same feature order), instead of checking and copying it into X first. Only where X would hold the same
  // doubles: a float64 model without preprocessing or zero snap.
  const fused = body.checkedRaw !== undefined && !table && !pre && xt === "Float64Array" && ir.inputZeroSnap === undefined;
  if (fused)
    out.push(
      "function badFeature_(v: unknown, i: number): number {",
      "  if (v == null) return NaN;",
      `  throw new TypeError(${strLit(`modelc model ${ir.name}: feature `)} + i + " is not a number");`,
      "}",
      "function num_(v: unknown, i: number): number {",
      `  return typeof v === "number" ? v : badFeature_(v, i);`,
      "}",
      "/** raw_ of a row that is not a Float64Array of NF values: each feature checked as it is read; other lengths and non-arrays through loadRow's errors. */",
      "function rawChecked_(x: ArrayLike<number>, R: Float64Array): void {",
      `  if (x == null || x.length !== NF) {`,
      `    ${body.rawFn}(row_(x), R);`,
      "    return;",
      "  }",
      ...body.checkedRaw!.map((l) => `  ${l}`),
      "}",
    );
  /** The single-row functions' first statement: the row's raw scores into R. */
  const rawOfRow = fused
    ? `  if (x instanceof Float64Array && x.length === NF) ${body.rawFn}(x, R);\n  else rawChecked_(x, R);`
    : `  ${body.rawFn}(row_(x), R);`;
  /** A single-row vector result: a plain array of the first n values of typed array A (a literal when short). */
  const vec = (A: string, n: number): string[] =>
    n <= VEC_LITERAL_MAX
      ? [`  return [${Array.from({ length: n }, (_, k) => `${A}[${k}]!`).join(", ")}];`]
      : ["  const v: number[] = [];", `  for (let k = 0; k < ${n}; k++) v.push(${A}[k]!);`, "  return v;"];
  out.push(
    "function loadBatchRow(rows: Float64Array | Float32Array, i: number): void {",
    "  const o = i * NF;",
    pre
      ? "  for (let j = 0; j < NF; j++) S[j] = rows[o + j]!;\n  pre_();"
      : ir.inputZeroSnap !== undefined
        ? `  for (let j = 0; j < NF; j++) { X[j] = rows[o + j]!; const c = X[j]!; if (c <= ${numLit(ir.inputZeroSnap)} && c >= -${numLit(ir.inputZeroSnap)}) X[j] = 0; }`
        : "  for (let j = 0; j < NF; j++) X[j] = rows[o + j]!;",
    "}",
    // a table model's batches are checked by tableRows_ (emitters/tableRows.ts)
    ...(table
      ? []
      : [
          "function checkBatch(rows: Float64Array | Float32Array, nRows: number): void {",
          `  if (!(rows instanceof Float64Array || rows instanceof Float32Array)) throw new TypeError(${strLit(`modelc model ${ir.name}: rows must be a Float64Array or Float32Array`)});`,
          `  if (!Number.isInteger(nRows) || nRows < 0 || nRows * NF !== rows.length) throw new RangeError(${strLit(`modelc model ${ir.name}: expected nRows × ${NF} values, got nRows = `)} + nRows + " and " + rows.length + " values");`,
          "}",
        ]),
    `function transform_(): void {`,
    ...transformLines(numLit(ir.transformArg ?? 1)),
    "}",
  );
  // outlier detectors: score_samples into O[0] (IsolationForest: the transform before its subtraction of offset_)
  const outlier = ir.outlier;
  if (outlier)
    out.push(
      "function score_(): number {",
      ...(outlier.kind === "scoreMinusOffset" ? [...transformLines("0"), "  return O[0]!;"] : [`  return R[0]! + ${numLit(outlier.offset)};`]),
      "}",
    );

  // decide_(): index of the class, from R (raw) or O (output)
  if (d.kind === "argmaxGroups") {
    const src = d.on === "raw" ? "R" : "O";
    const labelsFlat = ir.outputClasses!.flat();
    out.push(`const GL = /* @__PURE__ */ new Float64Array([${labelsFlat.map(numLit).join(", ")}]);`);
    const lines = [`function decideGroups_(P: Float64Array, p: number): void {`, d.on === "output" ? "  transform_();" : ""];
    let o = 0;
    d.groups.forEach((n, g) => {
      lines.push(`  P[p + ${g}] = GL[${o} + argmax(${src}.subarray(${o}, ${o + n}), ${n})]!;`);
      o += n;
    });
    lines.push("}");
    out.push(lines.filter((l) => l !== "").join("\n"));
  } else if (d.kind === "vote") {
    if (!body.voteFn) throw new Error("internal: a vote decision needs the body's vote function");
    out.push(`function decide_(): number {`, `  return ${body.voteFn}();`, "}");
  } else if (d.kind !== "value") {
    const src = d.on === "raw" ? "R" : "O";
    const body = d.kind === "threshold" ? `return ${src}[0]! ${d.op} ${numLit(d.value)} ? 1 : 0;` : `return argmax(${src}, NO);`;
    out.push(`function decide_(): number {`, d.on === "output" ? "  transform_();" : "", `  ${body}`, "}");
  }

  // Single-row API
  out.push(
    ir.outlier
      ? "/** The library's decision_function (score_samples - offset_; 0 is the inlier threshold). */"
      : `/** Raw scores (margins) before the link function. */`,
    define("predictRaw"),
    rawOfRow,
    ...(rawIsOutput ? ["  transform_();", "  return O[0]!;"] : api.raw === "number[]" ? vec("R", NO) : ["  return R[0]!;"]),
    "}",
  );
  if (hasFunction(api, "scoreSamples"))
    out.push("/** The library's score_samples (the lower, the more abnormal). */", define("scoreSamples"), rawOfRow, "  return score_();", "}");
  if (groups) {
    out.push(
      `/** The predicted class label of each output for one row. */`,
      define("predict"),
      rawOfRow,
      "  decideGroups_(P1, 0);",
      ...vec("P1", groups.length),
      "}",
    );
  } else if (d.kind === "value") {
    out.push(
      `/** The library's prediction for one row. */`,
      define("predict"),
      rawOfRow,
      "  transform_();",
      ...(multi ? vec("O", NO) : ["  return O[0]!;"]),
      "}",
    );
  } else {
    out.push(
      `/** The predicted class label for one row. */`,
      define("predict"),
      rawOfRow,
      labels ? "  return CLASSES[decide_()]!;" : "  return decide_();",
      "}",
    );
  }
  if (hasProba) {
    out.push(
      ...probaDecls,
      `function proba_(P: Float64Array, o: number): void {`,
      "  transform_();",
      ir.proba.kind === "libsvm"
        ? `  libsvmProba(${body.decisions}, PA, PB, ${nProba}, P, o);`
        : ir.proba.kind === "binary"
          ? `  P[o] = ${ir.proba.numberType === "float32" ? "Math.fround(1 - O[0]!)" : "1 - O[0]!"}; P[o + 1] = O[0]!;`
          : ir.proba.kind === "softmaxHalves"
            ? "  skSoftmaxHalves(O[0]!, P, o);"
            : `  for (let k = 0; k < ${nProba}; k++) P[o + k] = O[k]!;`,
      "}",
      `/** Class probabilities for one row, as the library's predict_proba gives them. */`,
      define("predictProba"),
      rawOfRow,
      "  proba_(P1, 0);",
      ...vec("P1", nProba),
      "}",
      `/** predictProba without allocating: the ${nProba} probabilities go to out[offset ..], and out is returned. */`,
      define("predictProbaInto"),
      `  if (!(out instanceof Float64Array)) throw new TypeError(${strLit(`modelc model ${ir.name}: out must be a Float64Array`)});`,
      `  if (!Number.isInteger(offset) || offset < 0 || offset + ${nProba} > out.length) throw new RangeError(${strLit(`modelc model ${ir.name}: out needs ${nProba} values from offset `)} + offset + ", has " + out.length);`,
      rawOfRow,
      "  proba_(out, offset);",
      "  return out;",
      "}",
    );
  }

  // Batch API
  const perRow = api.predictWidth;
  const store = groups
    ? `decideGroups_(out, i * ${groups.length});`
    : d.kind === "value"
      ? multi
        ? `transform_(); out.set(O, i * ${NO});`
        : "transform_(); out[i] = O[0]!;"
      : api.predictBatch === "label"
        ? "out[i] = CLASSES[decide_()]! as number;"
        : "out[i] = decide_();";
  // Tree-major bodies (body.blockFn) score BLOCK rows at a time: the rows cast (and preprocessed) into XB, the raw
  // scores into RB, then each row's slots copied to R for the same transform and decision as one row.
  const blocked = body.blockFn !== undefined;
  if (blocked) {
    const W = pre ? ir.preprocess!.output.length : NF;
    out.push(
      `const BLOCK = ${batchBlock(W, xt === "Float32Array" ? 4 : 8)};`,
      `const XB = new ${xt}(BLOCK * ${W});`,
      "const RB = new Float64Array(BLOCK * NO);",
      "/** Raw scores of rows i0 .. i0 + nb - 1 (nb <= BLOCK) into RB. */",
      "function block_(rows: Float64Array | Float32Array, i0: number, nb: number): void {",
      // without preprocessing or zero snap a row is its values cast: one copy of the block (set casts as `=` does)
      ...(pre || ir.inputZeroSnap !== undefined
        ? ["  for (let r = 0; r < nb; r++) {", "    loadBatchRow(rows, i0 + r);", `    XB.set(X, r * ${W});`, "  }"]
        : ["  XB.set(rows.subarray(i0 * NF, (i0 + nb) * NF));"]),
      `  ${body.blockFn}(XB, nb, RB);`,
      "}",
      "/** Row r of the last block's raw scores into R. */",
      "function rowOf_(r: number): void {",
      NO === 1 ? "  R[0] = RB[r]!;" : "  for (let k = 0; k < NO; k++) R[k] = RB[r * NO + k]!;",
      ...(body.blockRow !== undefined ? [`  ${body.blockRow}`] : []),
      "}",
    );
  }
  // a table model's batch (rows, or columns) as row-major float64 first
  const batchStart = table ? ["  const rows = tableRows_(input, count);", "  const nRows = rows.length / NF;"] : ["  checkBatch(rows, nRows);"];
  /** A batch function: `stmt` stores row i's result from R (or, for raw, from RB at row r of the block). */
  const batchFn = (doc: string, name: ApiFunction, per: string, stmt: string, rawStmt?: string): string[] =>
    blocked
      ? [
          doc,
          define(name),
          ...batchStart,
          `  const out = new Float64Array(nRows * ${per});`,
          "  for (let i0 = 0; i0 < nRows; i0 += BLOCK) {",
          "    const nb = Math.min(BLOCK, nRows - i0);",
          "    block_(rows, i0, nb);",
          "    for (let r = 0; r < nb; r++) {",
          "      const i = i0 + r;",
          ...(rawStmt !== undefined ? [`      ${rawStmt}`] : ["      rowOf_(r);", `      ${stmt}`]),
          "    }",
          "  }",
          "  return out;",
          "}",
        ]
      : [
          doc,
          define(name),
          ...batchStart,
          `  const out = new Float64Array(nRows * ${per});`,
          "  for (let i = 0; i < nRows; i++) {",
          "    loadBatchRow(rows, i);",
          `    ${body.rawFn}(X, R);`,
          `    ${stmt}`,
          "  }",
          "  return out;",
          "}",
        ];
  out.push(
    ...batchFn(
      `/** predict for nRows rows stored row-major in \`rows\`${multi ? ` (${perRow} values per row)` : labelsByIndex(api) ? " (class indices)" : ""}. */`,
      "predictBatch",
      String(perRow),
      store,
    ),
    ...(rawIsOutput
      ? // an IsolationForest's decision_function: the transformed output of each row
        batchFn(`/** predictRaw (decision_function) for nRows rows (1 value per row). */`, "predictRawBatch", "NO", "transform_(); out[i] = O[0]!;")
      : batchFn(
          `/** predictRaw for nRows rows (${NO} values per row). */`,
          "predictRawBatch",
          "NO",
          NO === 1 ? "out[i] = R[0]!;" : "out.set(R, i * NO);",
          NO === 1 ? "out[i] = RB[r]!;" : "for (let k = 0; k < NO; k++) out[i * NO + k] = RB[r * NO + k]!;",
        )),
  );
  if (hasFunction(api, "scoreSamplesBatch"))
    out.push(...batchFn("/** scoreSamples for nRows rows (1 value per row). */", "scoreSamplesBatch", "1", "out[i] = score_();"));
  if (hasFunction(api, "predictProbaBatch")) {
    out.push(...batchFn(`/** predictProba for nRows rows (${nProba} values per row). */`, "predictProbaBatch", String(nProba), `proba_(out, i * ${nProba});`));
  }
  if (runtimeAt >= 0) out[runtimeAt] = runtimeSource(runtime, out.join("\n"));
  return out.join("\n") + "\n";
}
