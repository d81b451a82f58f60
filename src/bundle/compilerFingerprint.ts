// A hash of the compiler itself, so chunks are rebuilt when modelc's code changes even if its
// version number does not: the built worker file, or every TypeScript source when run from source.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packageRoot } from "../packageRoot.ts";
import { hashText } from "./hashFile.ts";

let cached: string | undefined;

export function compilerFingerprint(worker: URL): string {
  if (cached) return cached;
  const file = fileURLToPath(worker);
  if (file.endsWith(".js")) return (cached = hashText(readFileSync(file)));
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(e.name) && !e.name.endsWith(".test.ts")) parts.push(p, hashText(readFileSync(p)));
    }
  };
  for (const d of ["src", "emitters"]) walk(join(packageRoot(), d));
  return (cached = hashText(parts.join("\n")));
}
