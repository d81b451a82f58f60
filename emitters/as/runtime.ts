// Inlines the AssemblyScript runtime helpers (src/runtime/as/*.as, shipped with the package) into generated
// AssemblyScript: each file once, dependencies (its `// requires: a.as, b.as` line) first, iteratively.
// The files use the .as extension so that neither tsc nor the TypeScript runtime bundler picks them up.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/packageRoot.ts";

const cache = new Map<string, { text: string; deps: string[] }>();

function load(file: string): { text: string; deps: string[] } {
  let hit = cache.get(file);
  if (!hit) {
    const text = readFileSync(join(packageRoot(), "src", "runtime", "as", file), "utf8");
    const m = /^\/\/ requires: (.+)$/m.exec(text);
    hit = { text: text.trim(), deps: m ? m[1]!.split(",").map((s) => s.trim()) : [] };
    cache.set(file, hit);
  }
  return hit;
}

/** Source of the given runtime files and what they require, dependencies first. */
export function asRuntimeSource(files: Iterable<string>): string {
  const done = new Set<string>();
  const out: string[] = [];
  for (const start of [...files].sort()) {
    const stack: { file: string; expanded: boolean }[] = [{ file: start, expanded: false }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.file)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        for (const d of load(top.file).deps) {
          if (stack.some((s) => s.file === d)) throw new Error(`AssemblyScript runtime import cycle through ${d}`);
          if (!done.has(d)) stack.push({ file: d, expanded: false });
        }
        continue;
      }
      stack.pop();
      done.add(top.file);
      out.push(`// runtime: ${top.file}\n${load(top.file).text}`);
    }
  }
  return out.join("\n\n");
}
