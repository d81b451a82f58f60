// Finds the model files of a bundle (files given by name, or model files under folders) and gives
// each a unique, safe name: the file's base name, or its path inside the folder it was found in.

import { readdirSync, realpathSync, statSync } from "node:fs";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { CompileError } from "../errors.ts";

/** Extensions picked up when walking a folder (a file named explicitly may have any). */
export const MODEL_EXTENSIONS: readonly string[] = [".json", ".ubj", ".txt"];

export interface ModelFile {
  /** absolute path */
  file: string;
  /**
   * the name `loadModel` takes: letters, digits, `_`, `-`, `.`, `/` between folder levels, and `@` before the
   * version number of a versioned model (`churn@2`)
   */
  name: string;
  bytes: number;
  mtimeMs: number;
}

/**
 * A safe model name from a path without its extension ("sub/churn v2" → "sub/churn_v2"): each
 * folder level keeps [A-Za-z0-9_.-], other characters become "_", no level starts with ".".
 * A version suffix `@<digits>` of the file's name is kept ("churn@2" → "churn@2"): `modelc serve`
 * reads it as version 2 of churn, as it reads the folder layout churn/2.json. Any other "@" becomes "_".
 */
export function modelName(pathWithoutExt: string): string {
  const levels = pathWithoutExt.split(/[\\/]+/).filter((s) => s !== "");
  return levels
    .map((s, i) => {
      const v = i === levels.length - 1 ? /^(.+)@(\d{1,18})$/.exec(s) : null;
      const safe = (t: string) => t.replace(/[^A-Za-z0-9_.-]/g, "_");
      return (v ? `${safe(v[1]!)}@${v[2]!}` : safe(s)).replace(/^\./, "_");
    })
    .join("/");
}

function withoutExt(p: string): string {
  const e = extname(p);
  return e ? p.slice(0, -e.length) : p;
}

/** Model files from files and folders, sorted by name; `exclude` (the output folder) is skipped. */
export function discoverModels(inputs: readonly string[], exclude?: string): ModelFile[] {
  const out: ModelFile[] = [];
  const seen = new Set<string>();
  const skip = exclude ? resolve(exclude) : undefined;
  const add = (file: string, name: string) => {
    const real = realpathSync(file);
    if (seen.has(real)) return;
    seen.add(real);
    const st = statSync(file);
    out.push({ file: resolve(file), name, bytes: st.size, mtimeMs: st.mtimeMs });
  };
  for (const input of inputs) {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(input);
    } catch {
      throw new CompileError("E_IO", "no such file or folder", { file: input });
    }
    if (st.isFile()) {
      add(input, modelName(withoutExt(basename(input))));
      continue;
    }
    const before = out.length;
    // iterative walk; hidden entries and node_modules are skipped, symbolic links followed once
    const stack = [resolve(input)];
    const dirsSeen = new Set([realpathSync(input)]);
    while (stack.length) {
      const dir = stack.pop()!;
      if (skip && (dir === skip || dir.startsWith(skip + sep))) continue;
      // sorted, so which path of a file linked twice gives its name does not depend on the file system
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        const p = join(dir, e.name);
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink()) {
          try {
            const target = statSync(p);
            isDir = target.isDirectory();
            isFile = target.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDir) {
          const real = realpathSync(p);
          if (!dirsSeen.has(real)) {
            dirsSeen.add(real);
            stack.push(p);
          }
        } else if (isFile && MODEL_EXTENSIONS.includes(extname(e.name).toLowerCase())) add(p, modelName(withoutExt(relative(resolve(input), p))));
      }
    }
    if (out.length === before) throw new CompileError("E_USAGE", "no model files in this folder", { file: input }, `looked for ${MODEL_EXTENSIONS.join(", ")}`);
  }
  const byName = new Map<string, ModelFile>();
  for (const m of out) {
    if (m.name === "") throw new CompileError("E_USAGE", "cannot make a model name from this file name", { file: m.file });
    const other = byName.get(m.name);
    if (other)
      throw new CompileError(
        "E_USAGE",
        `two model files get the name ${JSON.stringify(m.name)}: ${other.file} and ${m.file}`,
        { file: m.file },
        "rename one of them (names come from file names, without the extension)",
      );
    byName.set(m.name, m);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
