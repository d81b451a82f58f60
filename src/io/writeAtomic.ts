// Writes a file through a temporary sibling and a rename, so no partial output is ever left behind.

import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CompileError } from "../errors.ts";

/** `content` may be pieces of text, written one after the other (no giant string is built). */
export function writeAtomic(file: string, content: string | Uint8Array | readonly string[], inputs: string[] = []): void {
  const target = resolve(file);
  for (const i of inputs) {
    if (resolve(i) === target) throw new CompileError("E_USAGE", "output path is the input file", { file }, "choose another -o");
  }
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === "string" || content instanceof Uint8Array) writeFileSync(tmp, content);
    else {
      const fd = openSync(tmp, "w");
      try {
        for (const piece of content) writeSync(fd, piece);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the temporary file never existed (e.g. a path component is a file)
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw new CompileError("E_IO", `cannot write output (${code ?? (e as Error).message})`, { file });
  }
}
