// Generated code stays optimizable: V8's TurboFan accepts every function of a large ifelse module.

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { emitJavaScript } from "../emitters/registry.ts";
import { loadModel } from "../src/loadModel.ts";
import { testEnsemble } from "./support/testEnsemble.ts";

it("every generated function of a deep model is optimized by TurboFan", async () => {
  const ir = loadModel(join(import.meta.dirname, "..", "fixtures", "xgb3-deep", "model.json"));
  for (const style of ["ifelse", "table"] as const) {
    const js = await emitJavaScript(ir, style);
    const names = [...js.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(style === "ifelse" ? 10 : 2);
    const dir = mkdtempSync(join(tmpdir(), "modelc-opt-"));
    const file = join(dir, "m.mjs");
    writeFileSync(file, js + `\nexport const __fns = [${names.join(", ")}];\n`);
    const r = spawnSync(
      process.execPath,
      // no inlining: each function is then compiled on its own when forced, whatever TurboFan would inline where
      // (otherwise whether rawBlock_ or walkB shows as optimized depends on which caller inlined it first)
      ["--allow-natives-syntax", "--no-turbo-inlining", join(import.meta.dirname, "support", "optStatus.mjs"), file, String(ir.nFeatures), "3000"],
      {
        encoding: "utf8",
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as { total: number; optimized: string[]; notOptimized: string[] };
    expect(res.notOptimized, style).toEqual([]);
    if (style === "table") {
      expect(res.optimized).toContain("walk");
      // tree-major batches: the block's raw scores (the 8-row lockstep walk) and the walk of the rows it leaves over
      for (const f of ["rawBlock_", "walkB"]) expect(res.optimized, JSON.stringify(res)).toContain(f);
    } else {
      const trees = names.filter((n) => /^t\d+(_\d+)?$/.test(n));
      const hot = res.optimized.filter((n) => trees.includes(n));
      expect(hot.length, JSON.stringify(res)).toBeGreaterThan(trees.length / 2);
      // tree-major batches: the block's raw scores and every group function (each runs over a block)
      for (const f of ["rawBlock_", ...names.filter((n) => /^g\d+$/.test(n))]) expect(res.optimized, JSON.stringify(res)).toContain(f);
    }
  }
});

it("negative control: one unsplit 20 000-node function is refused by TurboFan, the split one is not", async () => {
  const n = 20_001;
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  for (let i = 0; i + 2 < n; i += 2) {
    left[i] = i + 1;
    right[i] = i + 2;
  }
  const b = testEnsemble({ name: "big", nFeatures: 2, numbers: "float32", base: [0] });
  b.addTree(
    {
      left,
      right,
      feature: Int32Array.from({ length: n }, (_, i) => i % 2),
      threshold: Float64Array.from({ length: n }, (_, i) => (i % 37) - 18),
      defaultLeft: new Uint8Array(n),
      leafValues: Float64Array.from({ length: n }, (_, i) => i),
      leafSize: 1,
      output: 0,
    },
    "$",
  );
  const ir = b.build();
  const status = async (limits?: { nodesPerFunction: number; depthPerFunction: number; treesPerGroup: number }) => {
    const js = await emitJavaScript(ir, "ifelse", { ifelseLimits: limits });
    const dir = mkdtempSync(join(tmpdir(), "modelc-opt-"));
    const file = join(dir, "m.mjs");
    writeFileSync(file, js + "\nexport const __fns = [t0];\n");
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", join(import.meta.dirname, "support", "optStatus.mjs"), file, "2", "200"], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { optimized: string[] };
  };
  expect((await status({ nodesPerFunction: 1e9, depthPerFunction: 1e9, treesPerGroup: 100 })).optimized).toEqual([]);
  expect((await status()).optimized).toEqual(["t0"]);
});

// (rawBlock_ itself may be inlined into block_ or predictBatch: then it has no optimized code of its own)
it("the blocked batch kernels of linear, kernel and mlp models are optimized by TurboFan", async () => {
  for (const [fixture, fns] of [
    ["sk12-logreg-multinomial", ["predictBatch"]],
    ["sk12-svc-proba-multiclass", ["kernels4_", "kernels1_", "decisions_"]],
    ["sk19-mlp-clf-multiclass-tanh", ["dense_", "act_"]],
  ] as const) {
    const ir = loadModel(join(import.meta.dirname, "..", "fixtures", fixture, "model.json"));
    for (const style of ["ifelse", "table"] as const) {
      const js = await emitJavaScript(ir, style);
      const names = [...js.matchAll(/^function (\w+)\(/gm)].map((m) => m[1]!);
      const dir = mkdtempSync(join(tmpdir(), "modelc-opt-"));
      const file = join(dir, "m.mjs");
      writeFileSync(file, js + `\nexport const __fns = [${names.join(", ")}];\n`);
      const r = spawnSync(
        process.execPath,
        ["--allow-natives-syntax", join(import.meta.dirname, "support", "optStatus.mjs"), file, String(ir.nFeatures), "300"],
        {
          encoding: "utf8",
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const res = JSON.parse(r.stdout) as { optimized: string[]; notOptimized: string[] };
      expect(res.notOptimized, `${fixture} ${style}`).toEqual([]);
      for (const f of fns) expect(res.optimized, `${fixture} ${style}: ${JSON.stringify(res)}`).toContain(f);
    }
  }
});
