// Inlines runtime helpers (real source files under src/runtime) into generated code: follows their
// relative imports, orders dependencies first, and strips `import`/`export` so the module imports nothing.

import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { packageRoot } from "../src/packageRoot.ts";

const IMPORT_RE = /^import\s*\{[^}]*\}\s*from\s*"(\.[^"]+)";\s*$/gm;
const EXPORT_RE = /^export\s+(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)/gm;
const cache = new Map<string, { body: string; deps: string[]; exports: string[] }>();

function load(rel: string): { body: string; deps: string[]; exports: string[] } {
  let hit = cache.get(rel);
  if (hit) return hit;
  const text = readFileSync(join(packageRoot(), "src", "runtime", rel), "utf8");
  const deps: string[] = [];
  const exports = [...text.matchAll(EXPORT_RE)].map((m) => m[1]!);
  for (const m of text.matchAll(IMPORT_RE)) deps.push(posix.normalize(posix.join(posix.dirname(rel), m[1]!)));
  const body = text
    .replace(IMPORT_RE, "")
    .replace(/^export\s+(?=(function|const|let|class)\b)/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  hit = { body, deps, exports };
  cache.set(rel, hit);
  return hit;
}

/**
 * Source text of the given runtime files (paths relative to src/runtime, e.g. "xgbSigmoid.ts") and
 * everything they import, each once, dependencies first. Iterative depth-first ordering.
 */
export function runtimeSource(files: Iterable<string>): string {
  const done = new Set<string>();
  const out: string[] = [];
  for (const start of files) {
    const stack: { file: string; expanded: boolean }[] = [{ file: start, expanded: false }];
    const onStack = new Set<string>();
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.file)) {
        stack.pop();
        continue;
      }
      if (!top.expanded) {
        top.expanded = true;
        onStack.add(top.file);
        for (const d of load(top.file).deps) {
          if (onStack.has(d)) throw new Error(`runtime import cycle through ${d}`);
          if (!done.has(d)) stack.push({ file: d, expanded: false });
        }
        continue;
      }
      stack.pop();
      onStack.delete(top.file);
      done.add(top.file);
      out.push(`// runtime: ${top.file}\n${load(top.file).body}`);
    }
  }
  return out.join("\n\n");
}

/** Names exported by the given runtime files (not their dependencies). */
export function runtimeExports(files: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const f of files) for (const n of load(f).exports) names.add(n);
  return [...names].sort();
}

/** Every runtime file under src/runtime (relative paths), for a shared runtime module. */
export function allRuntimeFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(packageRoot(), "src", "runtime", rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(r);
    }
  };
  walk("");
  return out.sort();
}

/**
 * A standalone ES module (TypeScript) exporting the given runtime helpers: the shared chunk that
 * bundled models import instead of inlining (`writeModule` with `runtimeImport`).
 */
export function runtimeModuleSource(files: Iterable<string> = allRuntimeFiles()): string {
  const list = [...files];
  return `// modelc runtime helpers (shared by bundled models)\n${runtimeSource(list)}\nexport { ${runtimeExports(list).join(", ")} };\n`;
}
