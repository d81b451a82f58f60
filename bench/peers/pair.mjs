// Child of bench/run.mjs: single-row time of several predictors in ONE process, candidates interleaved round by
// round (so a load change on the shared machine hits them alike), on plain-array rows (what users mostly pass).
//
//   node bench/peers/pair.mjs <rows.csv> <width> <id>=<kind>:<file> ...
//
// kind: modelc (predictProba for width > 1, else predict) or m2cgen (score + the probe's post-processing: the
// logistic function and [1 - p, p] for a binary model that returns one score). Prints JSON
// { nsPerRow: { id: median ns per row over the rounds }, rounds, msPerRound }.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [csv, widthArg, ...specs] = process.argv.slice(2);
const width = Number(widthArg);
const ROUNDS = 15;
const MS = 40;
const [, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const rows = lines.map((l) => l.split(",").map((v) => (v === "" || v === "nan" ? NaN : Number(v))));

const cases = [];
for (const spec of specs) {
  const eq = spec.indexOf("=");
  const colon = spec.indexOf(":", eq);
  const id = spec.slice(0, eq);
  const kind = spec.slice(eq + 1, colon);
  const m = await import(pathToFileURL(resolve(spec.slice(colon + 1))).href);
  let f;
  if (kind === "modelc") f = width > 1 ? m.predictProba : m.predict;
  else if (kind === "m2cgen") {
    const score = m.score;
    f =
      width === 2
        ? (x) => {
            const s = score(x);
            if (typeof s !== "number") return s;
            const p = 1 / (1 + Math.exp(-s));
            return [1 - p, p];
          }
        : score;
  } else throw new Error(`unknown kind ${kind}`);
  cases.push({ id, f, res: [] });
}
// Each candidate gets its own timing loop, compiled from its own source text: one shared loop would make the call
// site megamorphic (and keep V8 from inlining any candidate into it), which penalises whoever is not the first.
const loopSource = `return function loop(f, rows, ms) {
  let sink = 0, n = 0;
  const t = performance.now();
  do {
    for (let i = 0; i < 500; i++) { const y = f(rows[(n + i) % rows.length]); sink += typeof y === "number" ? y : y[0]; }
    n += 500;
  } while (performance.now() - t < ms);
  return [((performance.now() - t) * 1e6) / n, sink];
};`;
let sink = 0;
for (const [k, c] of cases.entries()) c.loop = new Function(`// candidate ${k} ${c.id}\n${loopSource}`)();
for (const c of cases) for (let w = 0; w < 10; w++) sink += c.loop(c.f, rows, 20)[1];
for (let round = 0; round < ROUNDS; round++)
  for (const c of cases) {
    const [ns, s] = c.loop(c.f, rows, MS);
    sink += s;
    c.res.push(ns);
  }
const nsPerRow = {};
for (const c of cases) nsPerRow[c.id] = +c.res.sort((a, b) => a - b)[ROUNDS >> 1].toFixed(1);
process.stdout.write(JSON.stringify({ nsPerRow, rounds: ROUNDS, msPerRound: MS, sink: Number.isNaN(sink) ? "NaN" : "ok" }));
