// Reads a model file from disk, detects its format, and imports it into the IR.

import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { CompileError } from "./errors.ts";
import type { ModelIR } from "./ir/types.ts";
import { isPickle, pickleHint } from "./io/pickle.ts";
import { fileError } from "./io/readFile.ts";
import { parseJsonBytes } from "./io/readJsonBytes.ts";
import { parseUbjson } from "./io/readUbjson.ts";
import { IMPORTERS, importerByName, type Importer, type ImporterOption, type ImportOptions, type ModelSource } from "./importers/registry.ts";

export interface LoadOptions extends Omit<ImportOptions, "file"> {
  format?: string;
  /**
   * Options the model's importer does not read are a usage error (the default), or ignored (false: a
   * bundle applies its options to every model, of any format).
   */
  strictOptions?: boolean;
  /** class labels to report instead of 0..K-1 (formats that don't store them: LightGBM, XGBoost) */
  classes?: (number | string)[];
}

/** V8 cannot hold a string over ~512 M characters: larger JSON/text models cannot be read as text. */
export const MAX_TEXT_BYTES = 0x1fffffe8;

export function readSource(file: string): ModelSource {
  let bytes: Uint8Array;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new CompileError("E_IO", "is a directory, expected a model file", { file });
    if (st.size > 2 ** 31 - 1) throw new CompileError("E_LIMIT", `file is ${st.size} bytes; modelc reads model files up to 2 GiB`, { file });
    if (st.size > MAX_TEXT_BYTES) {
      // look at the first bytes before reading it all: only binary (UBJSON) models can be this large
      const fd = openSync(file, "r");
      const head = new Uint8Array(16);
      readSync(fd, head, 0, 16, 0);
      closeSync(fd);
      // binary (UBJSON) models, and JSON whose bulk is long strings (modelc_export's binary arrays)
      if (detectContainer(head, file) === "text") tooLargeForText(file, "text");
    }
    bytes = st.size > READ_CHUNK ? readLarge(file, st.size) : readFileSync(file);
  } catch (e) {
    throw fileError(e, file);
  }
  return sourceFromBytes(bytes, file);
}

const READ_CHUNK = 16 * 2 ** 20;
/** Longest run of whitespace a JSON or text model may hold (real ones have lines, not megabytes, of it). */
export const MAX_WHITESPACE_RUN = 64 * 2 ** 20;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * A large file read in chunks, so that a text file padded with gigabytes of whitespace (`{` and 2 GB of
 * spaces) fails when the run passes MAX_WHITESPACE_RUN, not after all of it was read and parsed.
 */
function readLarge(file: string, size: number): Uint8Array {
  const buf = Buffer.allocUnsafe(size);
  const fd = openSync(file, "r");
  try {
    let off = 0;
    let text: boolean | undefined;
    let run = 0; // whitespace bytes before `off`
    while (off < size) {
      const n = readSync(fd, buf, off, Math.min(READ_CHUNK, size - off), off);
      if (n === 0) break;
      text ??= detectContainer(buf.subarray(0, n), file) !== "ubjson";
      if (text) {
        let first = off;
        while (first < off + n && isSpace(buf[first]!)) first++;
        if (first === off + n) run += n;
        else {
          let last = off + n - 1;
          while (isSpace(buf[last]!)) last--;
          run = off + n - 1 - last;
        }
        if (run > MAX_WHITESPACE_RUN)
          throw new CompileError("E_PARSE", `more than ${MAX_WHITESPACE_RUN / 2 ** 20} MiB of whitespace before byte offset ${off + n}`, { file });
      }
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function tooLargeForText(file: string, kind: string): never {
  throw new CompileError(
    "E_LIMIT",
    `a ${kind} model over 512 MiB cannot be read as one string by JavaScript engines`,
    { file },
    'save XGBoost models as UBJSON (save_model("m.ubj")), which has no such limit',
  );
}

/** A model source from bytes already in memory (file is only used for messages and detection). */
export function sourceFromBytes(bytes: Uint8Array, file: string): ModelSource {
  const container = detectContainer(bytes, file);
  let doc: unknown;
  let parsed = false;
  let text: string | undefined;
  return {
    file,
    bytes,
    container,
    text() {
      if (text === undefined) {
        if (bytes.length > MAX_TEXT_BYTES) tooLargeForText(file, container === "text" ? "text" : "JSON");
        text = new TextDecoder("utf-8").decode(bytes);
      }
      return text;
    },
    document() {
      if (!parsed) {
        doc = container === "ubjson" ? parseUbjson(bytes, file) : parseJsonBytes(bytes, file);
        parsed = true;
      }
      return doc;
    },
  };
}

function detectContainer(bytes: Uint8Array, file: string): ModelSource["container"] {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  const c = bytes[i];
  if (c === 0x7b /* { */) {
    // UBJSON objects start with '{' followed by a length marker or a container option.
    const next = bytes[i + 1];
    if (next !== undefined && "iUIlL$#}".includes(String.fromCharCode(next)) && i === 0) return "ubjson";
    return extname(file).toLowerCase() === ".ubj" ? "ubjson" : "json";
  }
  if (c === 0x5b /* [ */) {
    // a UBJSON array starts with '[' and a type marker, count or value marker JSON cannot have there
    const next = bytes[i + 1];
    if (next !== undefined && "$#iUlLdDSCHZTF".includes(String.fromCharCode(next)) && i === 0) return "ubjson";
    return extname(file).toLowerCase() === ".ubj" ? "ubjson" : "json";
  }
  return "text";
}

export function loadModel(file: string, opts: LoadOptions = {}): ModelIR {
  return loadFrom(file, () => readSource(file), opts);
}

/** Import a model held in memory (fuzzing, tests, services). */
export function loadModelFromBytes(bytes: Uint8Array, file: string, opts: LoadOptions = {}): ModelIR {
  return loadFrom(file, () => sourceFromBytes(bytes, file), opts);
}

/** Import a model file already parsed (a JSON document: XGBoost, LightGBM dump_model, modelc_export). */
export function loadModelFromDocument(doc: unknown, file: string, opts: LoadOptions = {}): ModelIR {
  const source = (): ModelSource => ({
    file,
    bytes: new Uint8Array(0),
    container: "json",
    document: () => doc,
    text: () => {
      throw new CompileError("E_FORMAT", "a parsed document is not a text model", { file }, "pass LightGBM text models as a string or bytes");
    },
  });
  return loadFrom(file, source, opts);
}

function loadFrom(file: string, source: () => ModelSource, opts: LoadOptions): ModelIR {
  try {
    const src = source();
    const { classes, strictOptions, ...rest } = opts;
    const importOpts: ImportOptions = { ...rest, file, name: opts.name ?? defaultName(file), sourceBytes: src.bytes.length };
    checkModelBytes(src.bytes.length, opts.maxModelBytes, file);
    const ir = importWith(src, importOpts, opts.format, file, strictOptions !== false);
    return classes ? withClasses(ir, classes) : ir;
  } catch (e) {
    if (e instanceof CompileError) throw atPath(e).inFile(file);
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new CompileError("E_LIMIT", "model structure is nested too deeply", { file });
    throw e;
  }
}

/** A shape or schema error without a place names at least the document ($): every such error has a path. */
function atPath(e: CompileError): CompileError {
  const { path, line } = e.location;
  if ((e.code !== "E_SHAPE" && e.code !== "E_SCHEMA") || path !== undefined || line !== undefined) return e;
  return new CompileError(e.code, e.message, { ...e.location, path: "$" }, e.hint);
}

function withClasses(ir: ModelIR, classes: (number | string)[]): ModelIR {
  if (!ir.classes) throw new CompileError("E_USAGE", `--classes given, but the model is a ${ir.task} model without classes`);
  if (classes.length !== ir.classes.length) throw new CompileError("E_USAGE", `expected ${ir.classes.length} class labels, got ${classes.length}`);
  if (new Set(classes.map(String)).size !== classes.length) throw new CompileError("E_USAGE", "class labels must be distinct");
  return { ...ir, classes };
}

function importWith(src: ModelSource, importOpts: ImportOptions, format: string | undefined, file: string, strict: boolean): ModelIR {
  // whatever --format says: a pickle is never a model file modelc reads
  if (isPickle(src.bytes, file)) throw new CompileError("E_FORMAT", "a Python pickle, not a model file", { file }, pickleHint(file));
  const imp = format ? importerByName(format) : IMPORTERS.find((i) => i.detect(src));
  if (!imp) {
    if (format) throw new CompileError("E_USAGE", `unknown format ${JSON.stringify(format)}`, {}, `formats: ${IMPORTERS.map((i) => i.name).join(", ")}`);
    throw new CompileError("E_FORMAT", "cannot tell the model format from the content", { file }, `use --format ${IMPORTERS.map((i) => i.name).join("|")}`);
  }
  if (strict) checkOptions(imp, importOpts);
  return imp.load(src, importOpts);
}

const OPTION_FLAGS: Record<ImporterOption, string> = {
  lenient: "--lenient",
  iterationRange: "--iteration-range",
  bestIteration: "--best-iteration",
  predictPath: "--predict-path",
  maxModelBytes: "--max-model-bytes",
  maxNeighborsTable: "--max-neighbors-table",
};

/** The file alone already over --max-model-bytes (the default is always above the file's size). */
function checkModelBytes(n: number, limit: number | undefined, file: string): void {
  if (limit === undefined) return;
  if (!(Number.isSafeInteger(limit) && limit > 0))
    throw new CompileError("E_USAGE", `--max-model-bytes expects a positive whole number of bytes, got ${limit}`);
  if (n > limit) throw new CompileError("E_LIMIT", `the file is ${n} bytes, over --max-model-bytes ${limit}`, { file });
}

/** An option the importer does not read would be silently ignored: refuse it, naming it and the format. */
function checkOptions(imp: Importer, opts: ImportOptions): void {
  for (const key of Object.keys(OPTION_FLAGS) as ImporterOption[]) {
    const v = opts[key];
    if (v === undefined || v === false || imp.options.includes(key)) continue;
    const readers = IMPORTERS.filter((i) => i.options.includes(key)).map((i) => i.name);
    throw new CompileError("E_USAGE", `${OPTION_FLAGS[key]} (${key}) does not apply to ${imp.name} models`, {}, `it applies to ${readers.join(", ")} models`);
  }
}

/** A model name from a file name: "models/churn-v2.json" → "churn-v2". */
export function defaultName(file: string): string {
  const b = basename(file);
  const e = extname(b);
  return e ? b.slice(0, -e.length) : b;
}
