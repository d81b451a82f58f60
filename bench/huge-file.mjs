// Resource limit check (issue 8): makes a ~1.1 GB XGBoost JSON model by repeating the trees of a
// fixture (not committed; written to .cache/), then runs `modelc compile` on it and reports the
// outcome, time and peak memory. JSON over 512 MiB cannot be held as one JavaScript string, so the
// expected outcome is a one-line E_LIMIT error that says to save the model as UBJSON.
//
//   node bench/huge-file.mjs [--size-mb 1100]
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const sizeMb = Number(process.argv.includes("--size-mb") ? process.argv[process.argv.indexOf("--size-mb") + 1] : 1100);
const src = JSON.parse(readFileSync(join(root, "fixtures", "xgb3-reg-squarederror", "model.json"), "utf8"));
const model = src.learner.gradient_booster.model;
const treeTexts = model.trees.map((t) => JSON.stringify(t));
const avg = treeTexts.reduce((s, t) => s + t.length, 0) / treeTexts.length;
const nTrees = Math.ceil((sizeMb * 1e6) / avg);
mkdirSync(join(root, ".cache"), { recursive: true });
const file = join(root, ".cache", "huge-model.json");
const fd = openSync(file, "w");
const head = {
  ...src,
  learner: {
    ...src.learner,
    gradient_booster: { ...src.learner.gradient_booster, model: { ...model, trees: "__TREES__", tree_info: "__INFO__", iteration_indptr: "__INDPTR__" } },
  },
};
head.learner.gradient_booster.model.gbtree_model_param = { ...model.gbtree_model_param, num_trees: String(nTrees) };
const text = JSON.stringify(head);
const producers = {
  '"__TREES__"': () => {
    writeSync(fd, "[");
    for (let i = 0; i < nTrees; i++) writeSync(fd, (i ? "," : "") + treeTexts[i % treeTexts.length].replace(/"id":\d+/, `"id":${i}`));
    writeSync(fd, "]");
  },
  '"__INFO__"': () => writeSync(fd, JSON.stringify(new Array(nTrees).fill(0))),
  '"__INDPTR__"': () => writeSync(fd, JSON.stringify(Array.from({ length: nTrees + 1 }, (_, i) => i))),
};
const marks = Object.keys(producers)
  .map((k) => ({ k, at: text.indexOf(k) }))
  .filter((m) => m.at >= 0)
  .sort((a, b) => a.at - b.at);
let pos = 0;
for (const m of marks) {
  writeSync(fd, text.slice(pos, m.at));
  producers[m.k]();
  pos = m.at + m.k.length;
}
writeSync(fd, text.slice(pos));
closeSync(fd);
console.log(`wrote ${file}: ${(statSync(file).size / 1e6).toFixed(0)} MB, ${nTrees} trees`);
spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
const t = spawnSync(
  "/usr/bin/time",
  ["-f", "%e s, peak %M KB", process.execPath, join(root, "bin", "modelc.js"), "compile", file, "-o", join(root, ".cache", "huge.mjs")],
  {
    encoding: "utf8",
  },
);
console.log(`exit ${t.status}\nstderr: ${t.stderr.trim()}`);
