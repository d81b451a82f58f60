// Inlines runtime helpers (real source files under src/runtime) into generated code: follows their
// relative imports, orders dependencies first, and strips `import`/`export` so the module imports nothing.

import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { packageRoot } from "../src/packageRoot.ts";
import { dependencyOrder } from "./runtimeInliner.ts";
import { checkRuntimeFile } from "./runtimePorts.ts";

const IMPORT_RE = /^import\s*\{[^}]*\}\s*from\s*"(\.[^"]+)";\s*$/gm;
const EXPORT_RE = /^export\s+(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)/gm;
const cache = new Map<string, { body: string; deps: string[]; exports: string[] }>();

function load(rel: string): { body: string; deps: string[]; exports: string[] } {
  let hit = cache.get(rel);
  if (hit) return hit;
  checkRuntimeFile(rel);
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
 * everything they import, each once, dependencies first (`dependencyOrder`).
 * With `usedBy` (the rest of the generated module), only the top-level declarations it reaches are kept,
 * directly or through other kept declarations: a model whose transform calls `exp` does not carry
 * `expFmaExact`, `expNoFma` or the unused `fma` helpers.
 */
export function runtimeSource(files: Iterable<string>, usedBy?: string): string {
  const full = runtimeFiles(files);
  if (usedBy === undefined) return full.map((f) => `// runtime: ${f.file}\n${f.body}`).join("\n\n");
  const decls = full.flatMap((f) => declarations(f.file, f.body));
  const byName = new Map(decls.map((d) => [d.name, d] as const));
  const keep = new Set<string>();
  const todo = [...identifiers(usedBy)];
  while (todo.length) {
    const n = todo.pop()!;
    const d = byName.get(n);
    if (!d || keep.has(n)) continue;
    keep.add(n);
    for (const r of d.refs) if (!keep.has(r)) todo.push(r);
  }
  const out: string[] = [];
  for (const f of full) {
    const kept = decls.filter((d) => d.file === f.file && keep.has(d.name)).map((d) => d.text);
    if (kept.length) out.push(`// runtime: ${f.file}\n${kept.join("\n")}`);
  }
  return out.join("\n\n");
}

interface Declaration {
  file: string;
  name: string;
  /** the declaration with the comments above it */
  text: string;
  /** identifiers it mentions (a superset of what it references: keeping too much is safe) */
  refs: Set<string>;
}

const DECL_RE = /^(?:function|const|let|class)\s+([A-Za-z_$][\w$]*)/;

/**
 * Top-level declarations of a runtime file body. The runtime sources are formatted: a declaration starts
 * at column 0 with `function`, `const`, `let` or `class` (one name each), comments above it belong to it,
 * and indented lines or closing brackets continue it (anything else at column 0 throws).
 */
function declarations(file: string, body: string): Declaration[] {
  const out: Declaration[] = [];
  let pending: string[] = [];
  let cur: { name: string; lines: string[] } | undefined;
  const flush = () => {
    if (cur) {
      const text = cur.lines.join("\n").trimEnd();
      out.push({ file, name: cur.name, text, refs: identifiers(text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ")) });
    }
    cur = undefined;
  };
  let inComment = false;
  for (const line of body.split("\n")) {
    const m = DECL_RE.exec(line);
    if (inComment || /^\/[/*]/.test(line)) {
      // a comment at column 0 belongs to the next declaration
      pending.push(line);
      if (/^\/\*/.test(line) && !inComment) inComment = !line.includes("*/");
      else if (inComment && line.includes("*/")) inComment = false;
    } else if (m) {
      flush();
      cur = { name: m[1]!, lines: [...pending, line] };
      pending = [];
    } else if (line.trim() === "") {
      (pending.length || !cur ? pending : cur.lines).push(line);
    } else if (cur && /^[\s})\]]/.test(line)) {
      cur.lines.push(...pending.splice(0), line);
    } else {
      throw new Error(`internal: runtime ${file}: unexpected top-level line ${JSON.stringify(line.slice(0, 60))}`);
    }
  }
  flush();
  return out;
}

function identifiers(code: string): Set<string> {
  return new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
}

function runtimeFiles(files: Iterable<string>): { file: string; body: string }[] {
  return dependencyOrder(files, (f) => load(f).deps).map((file) => ({ file, body: load(file).body }));
}

/** Runtime files that `file` imports (paths relative to src/runtime). */
export function runtimeImports(file: string): string[] {
  return [...load(file).deps];
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
