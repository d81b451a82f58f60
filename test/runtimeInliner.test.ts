// dependencyOrder (emitters/runtimeInliner.ts): dependencies first, each file once, pending siblings are no cycle, real cycles throw.

import { describe, expect, it } from "vitest";
import { dependencyOrder } from "../emitters/runtimeInliner.ts";
import { asRuntimeSource } from "../emitters/as/runtime.ts";
import { runtimeSource } from "../emitters/runtimeSource.ts";

const graph = (g: Record<string, string[]>) => (f: string) => g[f] ?? [];

describe("dependencyOrder", () => {
  it("a requires b, both requested in either order: no cycle, b before a", () => {
    const deps = graph({ a: ["b"] });
    expect(dependencyOrder(["a", "b"], deps)).toEqual(["b", "a"]);
    expect(dependencyOrder(["b", "a"], deps)).toEqual(["b", "a"]);
  });

  it("a dependency pending on the stack, required by its sibling, is no cycle", () => {
    // the shape the AssemblyScript inliner used to reject: a requires c, b and b requires c (c still pending)
    const deps = graph({ a: ["c", "b"], b: ["c"] });
    expect(dependencyOrder(["a"], deps)).toEqual(["c", "b", "a"]);
    expect(dependencyOrder(["b", "a"], deps)).toEqual(["c", "b", "a"]);
    // a diamond reached from two requested files
    const diamond = graph({ top: ["l", "r"], l: ["base"], r: ["base"], other: ["r"] });
    expect(dependencyOrder(["other", "top"], diamond)).toEqual(["base", "r", "other", "l", "top"]);
  });

  it("keeps the historical order: requested files in order, dependencies of a file last to first", () => {
    expect(dependencyOrder(["x", "y"], graph({ x: ["p", "q"], y: ["q", "z"] }))).toEqual(["q", "p", "x", "z", "y"]);
  });

  it("a real cycle throws and names it", () => {
    expect(() => dependencyOrder(["a"], graph({ a: ["b"], b: ["c"], c: ["a"] }))).toThrow("runtime import cycle: a → b → c → a");
    expect(() => dependencyOrder(["z", "b"], graph({ z: [], a: ["b"], b: ["c"], c: ["b"] }), "AssemblyScript runtime")).toThrow(
      "AssemblyScript runtime import cycle: b → c → b",
    );
    expect(() => dependencyOrder(["s"], graph({ s: ["s"] }))).toThrow("runtime import cycle: s → s");
  });

  it("is iterative: a 100 000-long chain does not overflow the call stack", () => {
    const n = 100_000;
    const order = dependencyOrder(["f0"], (f) => {
      const i = Number(f.slice(1));
      return i + 1 < n ? [`f${i + 1}`] : [];
    });
    expect(order.length).toBe(n);
    expect(order[0]).toBe(`f${n - 1}`);
    expect(order[n - 1]).toBe("f0");
  });
});

describe("the real runtime inliners", () => {
  const headers = (src: string) => [...src.matchAll(/^\/\/ runtime: (\S+)$/gm)].map((m) => m[1]);

  it("AssemblyScript: requested files sorted, requirements first, each once", () => {
    expect(headers(asRuntimeSource(["sk.as", "lgb.as", "exp.as"]))).toEqual(["fma.as", "exp.as", "log1p.as", "lgb.as", "log.as", "sk.as"]);
    expect(headers(asRuntimeSource(["fma.as", "exp.as", "expf.as"]))).toEqual(["fma.as", "exp.as", "expf.as"]);
  });

  it("TypeScript: imports first, each once", () => {
    expect(headers(runtimeSource(["skSoftmax.ts", "lgbSigmoid.ts", "math/exp.ts"]))).toEqual([
      "math/fma.ts",
      "math/log.ts",
      "math/exp.ts",
      "skSoftmax.ts",
      "lgbSigmoid.ts",
    ]);
  });
});
