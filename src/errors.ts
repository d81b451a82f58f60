// The one error type of modelc: a code, where in which file, and a hint.

export type ErrorCode =
  | "E_IO" // file missing, unreadable, not writable
  | "E_PARSE" // not valid JSON / UBJSON / CSV / text model
  | "E_SCHEMA" // parsed, but a field has the wrong type or is missing
  | "E_SHAPE" // arrays of inconsistent length, bad indices, cycles
  | "E_UNSUPPORTED" // a feature modelc refuses rather than approximate
  | "E_FORMAT" // cannot detect the input format
  | "E_USAGE" // bad CLI option
  | "E_INPUT" // bad prediction rows (diff)
  | "E_LIMIT"; // a resource limit was exceeded

export interface ErrorLocation {
  file?: string;
  /** JSON path such as `$.learner.gradient_booster.model.trees[3].left_children[7]` */
  path?: string;
  /** 1-based line (and column) for text formats */
  line?: number;
  column?: number;
}

export class CompileError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}, hint?: string) {
    super(message);
    this.name = "CompileError";
    this.code = code;
    this.location = { ...location };
    this.hint = hint;
  }

  /** Same error, with the file name filled in where it was unknown. */
  inFile(file: string): CompileError {
    if (this.location.file) return this;
    return new CompileError(this.code, this.message, { ...this.location, file }, this.hint);
  }

  /**
   * One line: `file:line:col: $.path: message (hint)`. Past the file name at most MAX_LINE characters:
   * a long path keeps its start and end, a long message or hint is cut.
   */
  toLine(): string {
    const { file, path, line, column } = this.location;
    let where = file ?? "";
    if (line !== undefined) where += `:${line}` + (column !== undefined ? `:${column}` : "");
    const flat = (s: string | undefined) => s?.replace(/[\r\n\u2028\u2029]+/g, " ");
    const p = cut(flat(path), 120, true);
    const h = cut(flat(this.hint), 100);
    const room = Math.max(80, MAX_LINE - (p?.length ?? 0) - (h ? h.length + 3 : 0) - 2);
    const parts = [flat(where), p, cut(flat(this.message), room)].filter((s) => s !== undefined && s !== "");
    return parts.join(": ") + (h ? ` (${h})` : "");
  }
}

/** Longest error line past the file name (path, message and hint). */
export const MAX_LINE = 300;

/** `s` in at most `max` characters: cut at the end, or in the middle (paths: both ends say most). */
function cut(s: string | undefined, max: number, middle = false): string | undefined {
  if (s === undefined || s.length <= max) return s;
  if (!middle) return `${s.slice(0, max - 1)}…`;
  const head = Math.floor((max - 1) / 3);
  return `${s.slice(0, head)}…${s.slice(s.length - (max - 1 - head))}`;
}

/** Format a JSON path from segments: ["a", 3, "b"] -> `$.a[3].b` */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = "$";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
