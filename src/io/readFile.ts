// Reading input files (models, rows, expected outputs): one mapping from file-system errors to CompileError.

import { readFileSync } from "node:fs";
import { CompileError } from "../errors.ts";

/** The one-line reason for a failed read or stat of `file`. */
export function fileError(e: unknown, file: string): CompileError {
  if (e instanceof CompileError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "is a directory, expected a file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : `cannot read (${code ?? (e as Error).message})`;
  return new CompileError("E_IO", why, { file });
}

export function readFileText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw fileError(e, file);
  }
}
