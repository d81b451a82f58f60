// Sweep of the two JS styles (ifelse, table) over tree-ensemble shapes, for the rule `--style auto` follows
// (emitters/registry.ts chooseStyle). For each shape (trees × leaves per tree × features) it synthesizes a model
// (random tree shapes grown by splitting random leaves, random features and thresholds, float32 like XGBoost), compiles
// it in both styles and times, in one child process per shape with the two builds interleaved: predict on single rows
// and predictBatch on 1000 rows; also each module's size and import time (parse, decode; wall time). Times are CPU
// time of the child (node --single-threaded: no background compiler threads), so other load on the machine inflates
// them less than wall time; compare ratios. Large ifelse modules need seconds of warm-up (bench/README-style.md):
// `--child T L F warmMs pairs` re-measures one shape with a longer one.
//
//   node --import tsx bench/style-sweep.mjs [--quick] [--out bench/out/style-sweep.json] [--warm 1500] [--pairs 9]
//
// Prints a table (µs per row; ratio = table time / ifelse time: above 1, ifelse is faster) and writes the results as
// JSON. bench/README-style.md summarizes a run and the rule derived from it.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(import.meta.dirname, "..");

if (args[0] === "--child") await child(args.slice(1).map(Number));
else parent();

function parent() {
  const quick = args.includes("--quick");
  const out = resolve(opt("--out", join(root, "bench", "out", "style-sweep.json")));
  const trees = quick ? [10, 100, 500] : [10, 50, 100, 300, 500, 1000, 2000];
  const leaves = quick ? [8, 64] : [8, 32, 64, 256];
  const features = quick ? [20] : [10, 100];
  const maxNodes = Number(opt("--max-nodes", "400000"));
  const results = [];
  console.log("trees leaves feats    nodes  single µs ifelse/table  ratio   batch µs ifelse/table  ratio  MB ifelse/table  load ms ifelse/table");
  for (const F of features)
    for (const L of leaves)
      for (const T of trees) {
        const nodes = T * (2 * L - 1);
        if (nodes > maxNodes) continue;
        const r = spawnSync(
          process.execPath,
          [
            "--single-threaded",
            "--max-old-space-size=4096",
            "--import",
            "tsx",
            join(root, "bench", "style-sweep.mjs"),
            "--child",
            String(T),
            String(L),
            String(F),
            opt("--warm", "1500"),
            opt("--pairs", "9"),
          ],
          { cwd: root, encoding: "utf8", maxBuffer: 16 << 20 },
        );
        if (r.status !== 0) {
          console.log(`${T} ${L} ${F}: failed: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
          continue;
        }
        const res = JSON.parse(r.stdout.trim().split("\n").pop());
        results.push(res);
        const f = (v) => v.toFixed(2).padStart(8);
        console.log(
          `${String(T).padStart(5)} ${String(L).padStart(6)} ${String(F).padStart(5)} ${String(res.nodes).padStart(8)}  ${f(res.single.ifelse)} ${f(res.single.table)} ${res.single.ratio.toFixed(2).padStart(6)}  ${f(res.batch.ifelse)} ${f(res.batch.table)} ${res.batch.ratio.toFixed(2).padStart(6)}  ${(res.bytes.ifelse / 1e6).toFixed(2).padStart(6)} ${(res.bytes.table / 1e6).toFixed(2).padStart(6)}  ${res.loadMs.ifelse.toFixed(0).padStart(7)} ${res.loadMs.table.toFixed(0).padStart(7)}`,
        );
      }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), results }, null, 1) + "\n");
  console.log(`written ${out}`);
}

/** A random tree with L leaves (grown by splitting a random leaf), in the builder's node arrays. */
function randomTree(L, F, rnd) {
  // kids[i] = [left, right] or undefined for a leaf; grown, then numbered in preorder
  const kids = [undefined];
  const leavesOf = [0];
  while (leavesOf.length < L) {
    const k = Math.floor(rnd() * leavesOf.length);
    const n = leavesOf[k];
    const a = kids.push(undefined) - 1;
    const b = kids.push(undefined) - 1;
    kids[n] = [a, b];
    leavesOf.splice(k, 1, a, b);
  }
  const order = [];
  const stack = [0];
  while (stack.length) {
    const n = stack.pop();
    order.push(n);
    if (kids[n]) stack.push(kids[n][1], kids[n][0]);
  }
  const at = new Map(order.map((n, i) => [n, i]));
  const m = order.length;
  const left = new Int32Array(m).fill(-1);
  const right = new Int32Array(m).fill(-1);
  const feature = new Int32Array(m);
  const threshold = new Float64Array(m);
  const leafValues = new Float64Array(m);
  order.forEach((n, i) => {
    if (kids[n]) {
      left[i] = at.get(kids[n][0]);
      right[i] = at.get(kids[n][1]);
      feature[i] = Math.floor(rnd() * F);
      threshold[i] = Math.fround(rnd());
    } else leafValues[i] = Math.fround(rnd() - 0.5);
  });
  return { left, right, feature, threshold, defaultLeft: new Uint8Array(m), leafValues, leafSize: 1, output: 0 };
}

async function child([T, L, F, warm, pairs]) {
  const { testEnsemble } = await import(pathToFileURL(join(root, "test", "support", "testEnsemble.ts")).href);
  const { emitJavaScript } = await import(pathToFileURL(join(root, "emitters", "registry.ts")).href);
  let seed = T * 7919 + L * 104729 + F;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const b = testEnsemble({ name: "sweep", nFeatures: F, numbers: "float32", base: [0.5] });
  for (let t = 0; t < T; t++) b.addTree(randomTree(L, F, rnd), `$[${t}]`);
  const ir = b.build();
  const dir = mkdtempSync(join(tmpdir(), "modelc-sweep-"));
  const mods = {};
  const size = {};
  const load = {};
  for (const style of ["ifelse", "table"]) {
    const file = join(dir, `${style}.mjs`);
    const js = await emitJavaScript(ir, style);
    writeFileSync(file, js);
    size[style] = js.length;
    const s = performance.now();
    mods[style] = await import(pathToFileURL(file).href);
    load[style] = performance.now() - s;
  }
  const N = 1000;
  const rows = Float64Array.from({ length: N * F }, () => (rnd() < 0.02 ? NaN : rnd()));
  const single = Array.from({ length: 500 }, (_, i) => Array.from(rows.subarray(i * F, (i + 1) * F)));
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const kinds = {
    single: (m) => {
      for (const r of single) m.predict(r);
      return single.length;
    },
    batch: (m) => {
      m.predictBatch(rows, N);
      return N;
    },
  };
  /** µs of CPU per row, over at least 30 ms */
  const time = (m, fn) => {
    let n = 0;
    const s = cpu();
    do n += fn(m);
    while (cpu() - s < 30000);
    return (cpu() - s) / n;
  };
  const a = mods.ifelse.predictBatch(rows, N);
  const c = mods.table.predictBatch(rows, N);
  if (!a.every((v, i) => Object.is(v, c[i]))) throw new Error("ifelse and table differ");
  for (const m of [mods.ifelse, mods.table]) {
    const s = performance.now();
    while (performance.now() - s < warm) for (const fn of Object.values(kinds)) time(m, fn);
  }
  const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
  const res = { trees: T, leaves: L, features: F, nodes: ir.model.trees.reduce((s, t) => s + t.nNodes, 0), bytes: size, loadMs: load };
  for (const [k, fn] of Object.entries(kinds)) {
    const x = [];
    const y = [];
    const q = [];
    for (let i = 0; i < pairs; i++) {
      const u = time(mods.ifelse, fn);
      const v = time(mods.table, fn);
      x.push(u);
      y.push(v);
      q.push(v / u);
    }
    res[k] = { ifelse: med(x), table: med(y), ratio: med(q) };
  }
  process.stdout.write(JSON.stringify(res) + "\n");
}
