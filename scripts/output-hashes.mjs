// SHA-256 of everything modelc writes for every fixture: `compile` to .ts, .mjs and --target as in
// both styles, .wasm + loader for one fixture per family, and a JS bundle of every fixture. A
// refactoring must leave this map unchanged (`--check`); a deliberate change of the generated code
// is regenerated with `npm run golden` and reviewed. Each model file's own hash is recorded too:
// outputs of a model file that changed (CI regenerates fixtures; BLAS-fitted ones differ per machine)
// are not compared.
//
//   node --import tsx scripts/output-hashes.mjs [--out generated/output-hashes.json] [--check FILE] [--only SUBSTR]

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const only = opt("--only");

const { main } = await import(join(ROOT, "src/cli/main.ts"));

const sha = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

function fixtureModels() {
  const dir = join(ROOT, "fixtures");
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (only && !name.includes(only)) continue;
    const metaFile = join(dir, name, "meta.json");
    if (!existsSync(metaFile)) continue;
    const meta = JSON.parse(readFileSync(metaFile, "utf8"));
    for (const f of meta.model_files ?? ["model.json"]) if (existsSync(join(dir, name, f))) out.push({ fixture: name, file: join("fixtures", name, f), meta });
  }
  return out;
}

async function run(argv) {
  const code = await main(argv);
  if (code !== 0) throw new Error(`modelc ${argv.join(" ")} exited ${code}`);
}

export async function outputHashes() {
  const tmp = mkdtempSync(join(tmpdir(), "modelc-hashes-"));
  const hashes = {};
  const wasmFamilies = new Set();
  try {
    for (const m of fixtureModels()) {
      const key = m.file;
      hashes[`${key} input`] = sha(join(ROOT, m.file));
      const opts = m.meta.classes ? ["--classes", m.meta.classes.join(",")] : [];
      for (const style of ["ifelse", "table"]) {
        for (const [ext, extra] of [
          ["ts", []],
          ["mjs", []],
          ["as.ts", ["--target", "as"]],
        ]) {
          const out = join(tmp, `m.${ext}`);
          await run(["compile", m.file, "--name", "m", "--style", style, "-o", out, ...extra, ...opts]);
          hashes[`${key} ${style} ${ext}`] = sha(out);
        }
      }
      const family = m.fixture.split("-")[0] + "/" + m.file.split(".").pop();
      if (!wasmFamilies.has(family)) {
        wasmFamilies.add(family);
        const out = join(tmp, "w.wasm");
        await run(["compile", m.file, "--name", "m", "--style", "table", "-o", out, ...opts]);
        hashes[`${key} table wasm`] = sha(out);
        hashes[`${key} table wasm-loader`] = sha(join(tmp, "w.js"));
      }
    }
    // one folder of links, so bundle names are "<fixture>--<file>"
    const bundleDir = join(tmp, "bundle");
    const linkDir = join(tmp, "models");
    mkdirSync(linkDir);
    for (const m of fixtureModels()) {
      const base = m.file.split("/").pop();
      const ext = base.slice(base.lastIndexOf("."));
      symlinkSync(join(ROOT, m.file), join(linkDir, `${m.fixture}--${base.replace(/\./g, "_")}${ext}`));
    }
    const write = process.stdout.write;
    process.stdout.write = () => true; // the --json build report
    try {
      await run(["bundle", linkDir, "-o", bundleDir, "--json"]);
    } finally {
      process.stdout.write = write;
    }
    const fileOf = new Map(fixtureModels().map((m) => [`${m.fixture}--${m.file.split("/").pop().replace(/\./g, "_")}`, m.file]));
    for (const f of readdirSync(bundleDir).sort()) {
      if (f === "manifest.json") continue; // holds timings and mtimes
      // chunks by model name (their file names hold their hash), so a changed model skips only its own
      const model = /^(.+)\.[0-9a-f]{16}\.(js|wasm)$/.exec(f);
      const key = model ? (fileOf.has(model[1]) ? `${fileOf.get(model[1])} bundle-chunk` : `bundle/${model[1]}.${model[2]}`) : `bundle/${f}`;
      hashes[key] = sha(join(bundleDir, f));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return hashes;
}

const hashes = await outputHashes();
const check = opt("--check");
if (check) {
  const want = JSON.parse(readFileSync(check, "utf8"));
  const keys = new Set([...Object.keys(want), ...Object.keys(hashes)]);
  const changedInputs = new Set(
    Object.keys(hashes)
      .filter((k) => k.endsWith(" input") && want[k] !== undefined && want[k] !== hashes[k])
      .map((k) => k.slice(0, -6)),
  );
  if (changedInputs.size) console.log(`not compared (model file changed): ${[...changedInputs].join(", ")}`);
  let bad = 0;
  for (const k of [...keys].sort()) {
    if (only && !k.includes(only)) continue;
    if (changedInputs.has(k.split(" ")[0]) || (k === "bundle/index.js" && changedInputs.size)) continue;
    if (want[k] !== hashes[k]) {
      bad++;
      if (bad <= 40) console.log(`differs: ${k}${want[k] ? "" : " (new)"}${hashes[k] ? "" : " (gone)"}`);
    }
  }
  console.log(`${Object.keys(hashes).length} outputs, ${bad} differ from ${check}`);
  process.exitCode = bad ? 1 : 0;
} else {
  const out = opt("--out") ?? join(ROOT, "generated", "output-hashes.json");
  writeFileSync(out, JSON.stringify(hashes, null, 1) + "\n");
  console.log(`${Object.keys(hashes).length} outputs hashed into ${relative(ROOT, out)}`);
}
