// No import cycles among src/ and emitters/ (scripts/importCycles.ts), except the known ones listed here to be removed.

import { describe, expect, it } from "vitest";
import { importCycles, importGraph, tsFilesUnder } from "../scripts/importCycles.ts";

/** Cycles that exist and are someone's to remove (their files, sorted); a new cycle fails the test. */
const KNOWN: string[][] = [
  // IfElseLimits (a type) lives in emitters/ts/ifelse.ts, which calls emitTreeFunctions
  ["emitters/treeFunctions.ts", "emitters/ts/ifelse.ts"],
];

describe("importCycles", () => {
  const g = (o: Record<string, string[]>) => new Map(Object.entries(o));

  it("finds each strongly connected component once, with a shortest cycle through it", () => {
    const cycles = importCycles(g({ a: ["b", "d"], b: ["c"], c: ["a", "b"], d: [], e: ["a"], s: ["s"] }));
    expect(cycles).toEqual([
      { files: ["a", "b", "c"], cycle: ["a", "b", "c", "a"] },
      { files: ["s"], cycle: ["s", "s"] },
    ]);
  });

  it("finds none in a DAG with shared dependencies", () => {
    expect(importCycles(g({ top: ["l", "r"], l: ["base"], r: ["base"], base: [] }))).toEqual([]);
  });
});

describe("the import graph of src/ and emitters/", () => {
  const cycles = importCycles(importGraph(tsFilesUnder(["src", "emitters"])));

  it("has no cycle through src/importers or the runtime inliners", () => {
    const mine = cycles.filter((c) => c.files.some((f) => f.startsWith("src/importers/") || /^emitters\/(runtime|as\/runtime)/.test(f)));
    expect(mine).toEqual([]);
  });

  it("has no cycle but the known ones", () => {
    const known = new Set(KNOWN.map((k) => k.join(" ")));
    expect(cycles.filter((c) => !known.has(c.files.join(" "))).map((c) => c.cycle.join(" → "))).toEqual([]);
  });
});
