// Child of big-model.mjs: loads a compiled module and times it on the rows of a CSV file.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [js, csv] = process.argv.slice(2);
const [header, ...lines] = readFileSync(csv, "utf8").trim().split(/\r?\n/);
const nCols = header.split(",").length;
const nRows = lines.length;
const rows = new Float64Array(nRows * nCols);
lines.forEach((l, i) => l.split(",").forEach((v, j) => (rows[i * nCols + j] = v === "" || v === "nan" ? NaN : Number(v))));

const t0 = performance.now();
const m = await import(pathToFileURL(resolve(js)).href);
const loadMs = +(performance.now() - t0).toFixed(1);

const predictions = Array.from(m.predictBatch(rows, nRows));
// warm up, then single-row latency over every row
const row = (i) => rows.subarray(i * nCols, (i + 1) * nCols);
for (let i = 0; i < Math.min(nRows, 2000); i++) m.predict(row(i));
const lat = [];
for (let i = 0; i < nRows; i++) {
  const s = performance.now();
  m.predict(row(i));
  lat.push((performance.now() - s) * 1000);
}
lat.sort((a, b) => a - b);
const runs = [];
for (let k = 0; k < 5; k++) {
  const s = performance.now();
  m.predictBatch(rows, nRows);
  runs.push(performance.now() - s);
}
runs.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    loadMs,
    singleMedianUs: +lat[Math.floor(lat.length / 2)].toFixed(2),
    singleP99Us: +lat[Math.floor(lat.length * 0.99)].toFixed(2),
    batchRowsPerSec: nRows / (runs[2] / 1000),
    predictions,
  }),
);
