// Builds the package's dist/: the CLI (dist/cli.js), the bundle worker (dist/bundleWorker.js), the
// programmatic API (dist/index.js) and the bundler plugin (dist/vite.js, rollup.js, esbuild.js, webpack.js, pluginWorker.js), as ES modules split into shared chunks so each command loads only
// what it uses (dependencies stay external). `--types` also writes the API's declarations
// (dist/types, for `npm pack`).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const ROOT = join(import.meta.dirname, "..");

export async function buildDist(outdir = join(ROOT, "dist")) {
  // written in place (test files build concurrently and run the CLI meanwhile; same sources give the
  // same file names), then chunks of earlier builds are removed
  const r = await build({
    entryPoints: {
      cli: join(ROOT, "src/cli/index.ts"),
      bundleWorker: join(ROOT, "src/bundle/worker.ts"),
      index: join(ROOT, "src/index.ts"),
      // the bundler plugin (modelc/vite, …) and its compile worker
      ...Object.fromEntries(["vite", "rollup", "esbuild", "webpack"].map((b) => [b, join(ROOT, `src/plugin/${b}.ts`)])),
      pluginWorker: join(ROOT, "src/plugin/pluginWorker.ts"),
    },
    outdir,
    // chunks beside the entries: code finds files relative to its own URL (bundleWorker.js, package.json)
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
    metafile: true,
  });
  const fresh = new Set(Object.keys(r.metafile.outputs).map((f) => f.split("/").pop()));
  for (const f of readdirSync(outdir)) if (/^chunk-[A-Z0-9]+\.js$/.test(f) && !fresh.has(f)) rmSync(join(outdir, f), { force: true });
}

/** Declarations of the API (tsc), with the sources' `.ts` import specifiers as `.js`. */
export function buildTypes(outdir = join(ROOT, "dist", "types")) {
  rmSync(outdir, { recursive: true, force: true });
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.types.json"), "--outDir", outdir], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("tsc failed writing the declarations");
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(".d.ts")) writeFileSync(p, readFileSync(p, "utf8").replace(/(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.ts\2/g, "$1$2$3.js$2"));
    }
  };
  walk(outdir);
  // modelc/client: ambient declarations of `?modelc` imports, copied as written
  mkdirSync(join(outdir, "src", "plugin"), { recursive: true });
  copyFileSync(join(ROOT, "src", "plugin", "client.d.ts"), join(outdir, "src", "plugin", "client.d.ts"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildDist();
  if (process.argv.includes("--types")) buildTypes();
}
