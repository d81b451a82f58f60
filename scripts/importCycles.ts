// importCycles: import cycles among the TypeScript files of src/ and emitters/ (relative `import`/`export … from` lines, type-only ones too).
//
//   node --import tsx scripts/importCycles.ts [dir …]    prints each cycle (exit 1 when there is one)
//
// A cycle is reported per strongly connected component of the import graph, with one shortest cycle through it.

import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
// static imports and re-exports, also spread over several lines; side-effect imports
const FROM_RE = /^\s*(?:import|export)\b[^;"']*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gm;
const BARE_RE = /^\s*import\s*["'](\.{1,2}\/[^"']+)["']/gm;

/** Relative paths (posix, from the package root) of the .ts files under the given folders. */
export function tsFilesUnder(dirs: readonly string[], root = ROOT): string[] {
  const out: string[] = [];
  const todo = dirs.map((d) => join(root, d));
  while (todo.length) {
    const dir = todo.pop()!;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules") todo.push(p);
      } else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(relative(root, p).split("\\").join("/"));
    }
  }
  return out.sort();
}

/** file → the files it imports (only files of the graph; paths relative to the package root). */
export function importGraph(files: readonly string[], root = ROOT): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(join(root, f), "utf8");
    const deps = new Set<string>();
    for (const re of [FROM_RE, BARE_RE])
      for (const m of text.matchAll(re)) {
        const d = posix.normalize(posix.join(posix.dirname(f), m[1]!));
        if (known.has(d)) deps.add(d);
      }
    graph.set(f, [...deps].sort());
  }
  return graph;
}

/** One strongly connected component of the import graph and a shortest cycle through it. */
export interface ImportCycle {
  files: string[];
  cycle: string[];
}

/**
 * The cycles of a graph (Map file → deps): one entry per strongly connected component with more than one file
 * (or a file importing itself), as { files, cycle } with `cycle` a shortest path a → … → a. Iterative Tarjan.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): ImportCycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const sccs: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const deps = graph.get(top.v) ?? [];
      if (top.i < deps.length) {
        const w = deps[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.v;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
      }
      if (low.get(top.v) === index.get(top.v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.v);
        if (scc.length > 1 || (graph.get(top.v) ?? []).includes(top.v)) sccs.push(scc.sort());
      }
    }
  }
  return sccs.map((files) => ({ files, cycle: shortestCycle(graph, files) })).sort((a, b) => (a.files[0]! < b.files[0]! ? -1 : 1));
}

/** A shortest a → … → a inside one component (breadth-first from its first file). */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, files: readonly string[]): string[] {
  const inScc = new Set(files);
  const start = files[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of graph.get(v) ?? []) {
      if (!inScc.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.push(u);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ["src", "emitters"];
  const cycles = importCycles(importGraph(tsFilesUnder(dirs)));
  for (const c of cycles)
    console.log(`${c.files.length} files: ${c.cycle.join(" → ")}${c.files.length > c.cycle.length - 1 ? `\n  (all: ${c.files.join(", ")})` : ""}`);
  console.log(`${cycles.length} import cycle${cycles.length === 1 ? "" : "s"} among ${dirs.join(", ")}`);
  process.exitCode = cycles.length ? 1 : 0;
}
