// Loads a compiled model module and prints predictions for the rows of a CSV file.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [modulePath, csvPath] = process.argv.slice(2);
const model = await import(pathToFileURL(resolve(modulePath)).href);
const [header, ...lines] = readFileSync(csvPath, "utf8").trim().split(/\r?\n/);
console.log(`\n${model.meta.name}: ${model.meta.task}, features ${header}`);
for (const line of lines) {
  const row = line.split(",").map((v) => (v === "" ? NaN : Number(v)));
  const proba = model.predictProba ? Array.from(model.predictProba(row), (p) => p.toFixed(6)).join(" ") : "";
  console.log(`  [${line}] -> predict ${model.predict(row)}${proba ? `  proba ${proba}` : ""}`);
}
