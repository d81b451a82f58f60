// Inlines the AssemblyScript runtime helpers (src/runtime/as/*.as, shipped with the package) into generated
// AssemblyScript: each file once, dependencies (its `// requires: a.as, b.as` line) first (emitters/runtimeInliner.ts).
// The files use the .as extension so that neither tsc nor the TypeScript runtime bundler picks them up.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/packageRoot.ts";
import { dependencyOrder } from "../runtimeInliner.ts";
import { checkRuntimeFile } from "../runtimePorts.ts";

const cache = new Map<string, { text: string; deps: string[] }>();

function load(file: string): { text: string; deps: string[] } {
  let hit = cache.get(file);
  if (!hit) {
    checkRuntimeFile(file);
    const text = readFileSync(join(packageRoot(), "src", "runtime", "as", file), "utf8");
    const m = /^\/\/ requires: (.+)$/m.exec(text);
    hit = { text: text.trim(), deps: m ? m[1]!.split(",").map((s) => s.trim()) : [] };
    cache.set(file, hit);
  }
  return hit;
}

/** Files named by the `// requires:` line of an AssemblyScript runtime file. */
export function asRuntimeRequires(file: string): string[] {
  return [...load(file).deps];
}

/** Source of the given runtime files and what they require, dependencies first (`dependencyOrder`, from the sorted names). */
export function asRuntimeSource(files: Iterable<string>): string {
  return dependencyOrder([...files].sort(), (f) => load(f).deps, "AssemblyScript runtime")
    .map((f) => `// runtime: ${f}\n${load(f).text}`)
    .join("\n\n");
}
