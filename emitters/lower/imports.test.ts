// The emitters' import graph: the TypeScript and AssemblyScript printers import only the lowering and shared
// helpers, never each other, and no import cycle exists under emitters/.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) stack.push(join(d, e.name));
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) out.push(join(d, e.name));
    }
  }
  return out.sort();
}

/** file (relative to emitters/) → the emitters/ files it imports (type-only imports included). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(ROOT)) {
    const text = readFileSync(file, "utf8");
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)) {
      const target = resolve(dirname(file), m[1]!);
      if (target.startsWith(ROOT + "/")) deps.push(relative(ROOT, target));
    }
    graph.set(relative(ROOT, file), deps);
  }
  return graph;
}

describe("emitters import graph", () => {
  const graph = importGraph();

  it("sees the printers and the lowering", () => {
    expect(graph.has("ts/table.ts")).toBe(true);
    expect(graph.has("as/table.ts")).toBe(true);
    expect(graph.get("ts/table.ts")).toContain("lower/nodeTable.ts");
  });

  it("keeps ts/ and as/ apart, and lower/ free of printers", () => {
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      for (const d of deps) {
        if ((file.startsWith("as/") && d.startsWith("ts/")) || (file.startsWith("ts/") && d.startsWith("as/"))) bad.push(`${file} -> ${d}`);
        if (file.startsWith("lower/") && !d.startsWith("lower/")) bad.push(`${file} -> ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("has no import cycle", () => {
    // iterative depth-first search with colors; a grey target closes a cycle
    const color = new Map<string, number>();
    const cycles: string[] = [];
    for (const start of graph.keys()) {
      if (color.get(start)) continue;
      const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
      color.set(start, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const deps = graph.get(top.file) ?? [];
        if (top.next === deps.length) {
          color.set(top.file, 2);
          stack.pop();
          continue;
        }
        const d = deps[top.next++]!;
        const c = color.get(d) ?? 0;
        if (c === 1) cycles.push([...stack.slice(stack.findIndex((s) => s.file === d)).map((s) => s.file), d].join(" -> "));
        else if (c === 0 && graph.has(d)) {
          color.set(d, 1);
          stack.push({ file: d, next: 0 });
        }
      }
    }
    expect(cycles).toEqual([]);
  });
});
