// The ES-module loader written beside a .wasm: the API of a generated JS module (docs/SPEC.md "Generated module": meta,
// predict, predictProba (and predictProbaInto), predictRaw, scoreSamples (outlier detectors) and the batch forms,
// with the same checks and error messages), on top of the wasm ABI of module.ts. A batch is copied into linear memory
// by chunks of up to 64 KB of rows (with the model's input cast, by a typed-array set) and the results are read back once. It imports nothing;
// the .wasm, referenced as `new URL("./<file>.wasm", import.meta.url)` (the form bundlers recognise as an asset), is
// read through process.getBuiltinModule("node:fs/promises") for file: URLs where the host has it (Node >= 20.16,
// Bun, Deno) and fetched otherwise (browsers, workers, Deno and Bun without it).
// Which functions exist and what they return come from the model's ApiShape (src/api).

import { apiShape, hasFunction, labelsByIndex } from "../../src/api/apiShape.ts";
import { metaOf } from "../../src/api/meta.ts";
import type { ModelIR } from "../../src/ir/types.ts";
import { dataLit, strLit } from "../literals.ts";
import { preprocessFails } from "../../src/ir/preprocess.ts";
import { tableRowsCode } from "../tableRows.ts";
import { rowType } from "./module.ts";

/**
 * Rows a batch copies into linear memory at a time: a multiple of 256 rows (so of every wasm block size: BLOCK and
 * batchBlock's 16..256), as many as fit in 64 KB, at least 256.
 */
export function batchChunk(rowBytes: number): number {
  return 256 * Math.max(1, Math.floor(65536 / (256 * rowBytes)));
}

/**
 * `meta` and `function bind(exports, prefix)` returning the API object, for one model. Used by the loader and by
 * tests that bind several models of one module.
 */
export function loaderCore(ir: ModelIR): string {
  const NF = ir.nFeatures;
  const NO = ir.nOutputs;
  const api = apiShape(ir);
  const multi = api.predict === "number[]";
  const perRow = api.predictWidth;
  const nProba = api.proba;
  const scores = hasFunction(api, "scoreSamples");
  // the wasm returns class indices that the loader maps to these labels
  const stringLabels = labelsByIndex(api);
  const xs = rowType(ir) === "f32" ? 4 : 8;
  const name = ir.name;
  const msg = (s: string) => strLit(`modelc model ${name}: ${s}`);
  const single = Math.ceil((NF * xs) / 8) * 8;
  const maxOut = Math.max(NO, perRow, nProba);
  const predictReturn = multi ? `list(${perRow})` : stringLabels ? "CLASSES[O[0]]" : "O[0]";
  // table models (ModelIR.columns): rows by column name with strings, encoded here before the wasm call
  const table = ir.columns !== undefined;
  if (table && xs !== 8) throw new Error("internal: a table model's wasm rows are float64");
  const fails = preprocessFails(ir);
  // per preprocessing step: its kind and column labels, for the wasm's preFail() codes
  const failSteps = fails ? ir.preprocess!.steps.map((st) => (st.kind === "lookup" || st.kind === "bins" ? [st.kind, st.label] : null)) : [];
  const L: string[] = [
    `export const meta = ${dataLit(metaOf(ir, api))};`,
    "",
    `const NF = ${NF};`,
    `const NO = ${NO};`,
    `const CHUNK = ${batchChunk(NF * xs)};`,
    ...(stringLabels ? [`const CLASSES = ${dataLit(ir.classes)};`] : []),
    ...(table ? tableRowsCode(ir, false) : []),
    ...(fails
      ? [
          `const FAIL_STEPS = [${failSteps.map((x) => (x ? dataLit(x) : "null")).join(", ")}];`,
          "/** Throws where scikit-learn raises, from the wasm's preFail() code (step << 20 | code). */",
          "function failed(f) {",
          "  const st = FAIL_STEPS[f >> 20];",
          "  const c = f & 0xfffff;",
          '  const what = st[0] === "bins" ? "a value that is not finite" : (c & 3) === 1 ? "unknown category" : "missing value";',
          `  throw new RangeError(${msg("")} + what + " in column " + st[1][st[0] === "bins" ? c : c >> 2]);`,
          "}",
        ]
      : []),
    "",
    "/** The model's API over an instance's exports (`p`: the model's export prefix). */",
    "export function bind(e, p) {",
    "  const memory = e.memory;",
    "  const reserve = e.reserve;",
    `  const rawBatch = e[p + "predictRawBatch"];`,
    `  const predictBatch_ = e[p + "predictBatch"];`,
    ...(nProba ? [`  const probaBatch = e[p + "predictProbaBatch"];`] : []),
    ...(scores ? [`  const scoreBatch = e[p + "scoreSamplesBatch"];`] : []),
    ...(fails ? [`  const preFail = e[p + "preFail"];`, "  const check = () => { const f = preFail(); if (f >= 0) failed(f); };"] : []),
    `  const XA = ${xs === 4 ? "Float32Array" : "Float64Array"};`,
    "  let base = 0;",
    "  let capacity = -1;",
    "  let buffer = null;",
    "  let X = null;",
    "  let O = null;",
    "  // room for `bytes` bytes at base (memory grows, never shrinks); fresh views after any growth",
    "  function ensure(bytes) {",
    "    if (bytes > capacity) {",
    "      const at = reserve(bytes);",
    `      if (at === 0) throw new RangeError(${msg("cannot grow WebAssembly memory to ")} + bytes + " bytes");`,
    "      base = at;",
    "      capacity = bytes;",
    "    }",
    "    if (memory.buffer !== buffer) {",
    "      buffer = memory.buffer;",
    "      X = new XA(buffer, base, NF);",
    `      O = new Float64Array(buffer, base + ${single}, ${maxOut});`,
    "    }",
    "  }",
    `  ensure(${single + 8 * maxOut});`,
    ...(table ? ["  function loadRow(x) {", `    ensure(${single + 8 * maxOut});`, "    tableRow_(x, X, 0);", "  }"] : []),
    `  function ${table ? "loadNumbers" : "loadRow"}(x) {`,
    `    if (x == null || typeof x.length !== "number") throw new TypeError(${msg(`a row must be an array of ${NF} numbers`)});`,
    `    if (x.length !== NF) throw new RangeError(${msg(`expected a row of ${NF} features, got `)} + x.length);`,
    `    ensure(${single + 8 * maxOut});`,
    "    for (let i = 0; i < NF; i++) {",
    "      const v = x[i];",
    `      if (typeof v === "number") X[i] = v;`,
    "      else if (v == null) X[i] = NaN;",
    `      else throw new TypeError(${msg("feature ")} + i + " is not a number");`,
    "    }",
    "  }",
    ...(multi || api.raw === "number[]" || nProba
      ? [
          "  // a single-row vector result: the first n outputs as a plain array (batch results stay Float64Arrays)",
          "  function list(n) {",
          "    const a = [];",
          "    for (let k = 0; k < n; k++) a.push(O[k]);",
          "    return a;",
          "  }",
        ]
      : []),
    "  function batch(fn, rows, nRows, per) {",
    ...(table ? ["    rows = tableRows_(rows, nRows);", "    nRows = rows.length / NF;"] : []),
    `    if (!(rows instanceof Float64Array || rows instanceof Float32Array)) throw new TypeError(${msg("rows must be a Float64Array or Float32Array")});`,
    `    if (!Number.isInteger(nRows) || nRows < 0 || nRows * NF !== rows.length) throw new RangeError(${msg(`expected nRows × ${NF} values, got nRows = `)} + nRows + " and " + rows.length + " values");`,
    // the rows go in by chunks of CHUNK rows through one cache-sized area (copying all of them first ran the
    // logistic regression's batches 1.2-1.5x slower: bench/RESULTS-wasm-linear.md); the results stay in one piece
    `    const outAt = Math.ceil((Math.min(nRows, CHUNK) * NF * ${xs}) / 8) * 8;`,
    `    ensure(Math.max(outAt + nRows * per * 8, ${single + 8 * maxOut}));`,
    "    if (nRows === 0) return new Float64Array(0);",
    "    const into = new XA(buffer, base, Math.min(nRows, CHUNK) * NF);",
    "    for (let r = 0; r < nRows; r += CHUNK) {",
    "      const m = Math.min(CHUNK, nRows - r);",
    "      into.set(m === nRows ? rows : rows.subarray(r * NF, (r + m) * NF));",
    "      fn(base, m, base + outAt + r * per * 8);",
    ...(fails ? ["      check();"] : []),
    "    }",
    "    return new Float64Array(buffer, base + outAt, nRows * per).slice();",
    "  }",
    "  return {",
    "    meta,",
    "    predictRaw(x) {",
    "      loadRow(x);",
    `      rawBatch(base, 1, base + ${single});`,
    ...(fails ? ["      check();"] : []),
    api.raw === "number[]" ? "      return list(NO);" : "      return O[0];",
    "    },",
    ...(scores
      ? [
          "    scoreSamples(x) {",
          "      loadRow(x);",
          `      scoreBatch(base, 1, base + ${single});`,
          ...(fails ? ["      check();"] : []),
          "      return O[0];",
          "    },",
        ]
      : []),
    "    predict(x) {",
    "      loadRow(x);",
    `      predictBatch_(base, 1, base + ${single});`,
    ...(fails ? ["      check();"] : []),
    `      return ${predictReturn};`,
    "    },",
    ...(nProba
      ? [
          "    predictProba(x) {",
          "      loadRow(x);",
          `      probaBatch(base, 1, base + ${single});`,
          ...(fails ? ["      check();"] : []),
          `      return list(${nProba});`,
          "    },",
          "    predictProbaInto(x, out, offset = 0) {",
          `      if (!(out instanceof Float64Array)) throw new TypeError(${msg("out must be a Float64Array")});`,
          `      if (!Number.isInteger(offset) || offset < 0 || offset + ${nProba} > out.length) throw new RangeError(${msg(`out needs ${nProba} values from offset `)} + offset + ", has " + out.length);`,
          "      loadRow(x);",
          `      probaBatch(base, 1, base + ${single});`,
          ...(fails ? ["      check();"] : []),
          `      out.set(O.subarray(0, ${nProba}), offset);`,
          "      return out;",
          "    },",
        ]
      : []),
    `    predictBatch: (rows, nRows) => batch(predictBatch_, rows, nRows, ${perRow}),`,
    "    predictRawBatch: (rows, nRows) => batch(rawBatch, rows, nRows, NO),",
    ...(nProba ? [`    predictProbaBatch: (rows, nRows) => batch(probaBatch, rows, nRows, ${nProba}),`] : []),
    ...(scores ? ["    scoreSamplesBatch: (rows, nRows) => batch(scoreBatch, rows, nRows, 1),"] : []),
    "  };",
    "}",
  ];
  return L.join("\n");
}

export interface LoaderOptions {
  /**
   * A bundle chunk (`modelc bundle --target wasm`): exports exactly a generated module's API (meta, predict, …;
   * no `bind`/`instantiate`), and a .wasm that cannot be loaded fails the import, so `loadModel` rejects (and
   * looks for a rebuilt chunk). Otherwise the import succeeds and the functions throw why.
   */
  chunk?: boolean;
}

/** The loader module for `wasmFile` (a path relative to the loader, e.g. "churn.wasm"). */
export function loaderSource(ir: ModelIR, wasmFile: string, header: string, opts: LoaderOptions = {}): string {
  // every function of the API, in API_FUNCTIONS order
  const names = apiShape(ir).functions;
  return [
    header,
    opts.chunk ? loaderCore(ir).replace(/^export function bind\(/m, "function bind(") : loaderCore(ir),
    "",
    "/**",
    " * Instantiates the model from a URL or path (default: the .wasm beside this file), bytes, or a compiled",
    " * WebAssembly.Module (hosts that import .wasm files as modules), returning its API.",
    " */",
    `${opts.chunk ? "" : "export "}async function instantiate(source) {`,
    "  // the .wasm beside this file, in the form Vite, webpack and Rollup/esbuild plugins follow to emit it (a literal",
    "  // relative URL and import.meta.url, nothing else: other uses of import.meta.url are rewritten or warned about)",
    `  const wasmUrl = new URL(${strLit(`./${wasmUrlPath(wasmFile)}`)}, import.meta.url);`,
    "  if (source === undefined) source = wasmUrl;",
    "  let module;",
    "  if (source instanceof WebAssembly.Module) module = source;",
    "  else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) module = await WebAssembly.compile(source);",
    "  else {",
    "    // a path or URL string is resolved against the .wasm's URL (this file's folder, unless a bundler moved the .wasm)",
    "    const url = source instanceof URL ? source : new URL(String(source), wasmUrl);",
    "    // file: URLs are read with fs where the host has process.getBuiltinModule (Node >= 20.16 / 22.3, Bun, Deno):",
    "    // no import for a bundler to follow. Elsewhere they are fetched (Deno, Bun; browsers for http(s):).",
    `    const fs = url.protocol === "file:" ? globalThis.process?.getBuiltinModule?.("node:fs/promises") : undefined;`,
    "    let bytes;",
    "    if (fs) bytes = await fs.readFile(url);",
    "    else {",
    "      const res = await fetch(url);",
    `      if (!res.ok) throw new Error(${strLit(`modelc model ${ir.name}: cannot load `)} + url + ": HTTP " + res.status);`,
    "      bytes = await res.arrayBuffer();",
    "    }",
    "    module = await WebAssembly.compile(bytes);",
    "  }",
    "  const instance = await WebAssembly.instantiate(module, {});",
    `  return bind(instance.exports, "");`,
    "}",
    "",
    ...(opts.chunk ? rejectingTail(names) : deferringTail(ir, wasmFile, names)),
  ].join("\n");
}

/**
 * The .wasm's file name as a relative URL path: "%", "#", "?", "\\", quotes, "<", ">", spaces, controls and
 * non-ASCII characters percent-encoded (UTF-8), so the literal is plain ASCII and names that file and nothing else
 * (a URL parser reads "#…" as a fragment and "?…" as a query).
 */
export function wasmUrlPath(file: string): string {
  return file.replace(/[^\x21-\x7e]|[%#?\\"<>`]/gu, (c) => encodeURIComponent(c));
}

/** Exports bound at import; a .wasm that cannot be loaded fails the import. */
function rejectingTail(names: string[]): string[] {
  return [
    "// The .wasm beside this file, loaded at import (a failure fails the import).",
    "const model = await instantiate();",
    ...names.map((n) => `export const ${n} = model.${n};`),
    "",
  ];
}

function deferringTail(ir: ModelIR, wasmFile: string, names: string[]): string[] {
  return [
    "// The .wasm beside this file, loaded at import. Where that is impossible (a host without fs or fetch of its own",
    "// URL), importing still succeeds: the functions below throw why, and instantiate(bytes | Module) works.",
    "let model;",
    "let loadError;",
    "try {",
    "  model = await instantiate();",
    "} catch (e) {",
    "  loadError = e;",
    "}",
    "function unavailable() {",
    `  throw new Error(${strLit(`modelc model ${ir.name}: ${wasmFile} could not be loaded (`)} + (loadError && loadError.message) + "); use instantiate(bytes or WebAssembly.Module)");`,
    "}",
    ...names.map((n) => `export const ${n} = model ? model.${n} : unavailable;`),
    "",
  ];
}
