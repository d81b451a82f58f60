// Builds a test app with one bundler and the BUILT modelc plugin (`modelc/<bundler>`, found through the
// package's exports map as a user's import is; this folder is a package of its own, so no self-reference): `node buildApp.mjs <vite|rollup|esbuild|webpack> <entry> <outDir> <cacheDir>`.
// Prints the plugin's build report as one JSON line on stdout; on a failed build, prints the bundler's error
// messages to stderr and exits with 1.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [bundler, entry, outDir, cacheDir] = process.argv.slice(2);
const HERE = import.meta.dirname;
const dep = (p) => import(pathToFileURL(join(HERE, "node_modules", p)).href);
const ROOT = join(HERE, "..", "..");
const exported = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).exports[`./${bundler}`]?.import;
if (!exported) throw new Error(`package.json exports no ./${bundler}`);
const plugin = (await import(pathToFileURL(join(ROOT, exported)).href)).default;
let report = null;
const options = { cacheDir, onReport: (r) => (report = r) };

async function build() {
  if (bundler === "rollup") {
    const { rollup } = await dep("rollup/dist/es/rollup.js");
    const b = await rollup({ input: entry, plugins: [plugin(options)], onwarn: () => {} });
    await b.write({ dir: outDir, format: "es", entryFileNames: "main.js" });
    await b.close();
  } else if (bundler === "vite") {
    const { build } = await dep("vite/dist/node/index.js");
    await build({
      configFile: false,
      root: join(entry, ".."),
      // served from a subfolder in the tests
      base: "./",
      logLevel: "silent",
      plugins: [plugin(options)],
      build: { outDir, emptyOutDir: true, modulePreload: false, rollupOptions: { input: entry, output: { entryFileNames: "main.js" } } },
    });
  } else if (bundler === "esbuild") {
    const { build } = await import("esbuild");
    await build({
      entryPoints: { main: entry },
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      outdir: outDir,
      plugins: [plugin(options)],
      logLevel: "silent",
    });
  } else if (bundler === "webpack") {
    const webpack = (await dep("webpack/lib/index.js")).default;
    const stats = await new Promise((resolve, reject) =>
      webpack(
        {
          mode: "production",
          target: "web",
          entry,
          output: { path: outDir, filename: "main.js", clean: true },
          plugins: [plugin(options)],
          infrastructureLogging: { level: "none" },
        },
        (e, s) => (e ? reject(e) : resolve(s)),
      ),
    );
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true, errorDetails: false, errorStack: false }));
  } else throw new Error(`unknown bundler ${bundler}`);
}

try {
  await build();
} catch (e) {
  // esbuild's BuildFailure (and Vite's Rolldown error) list their errors; the others carry the message
  process.stderr.write(`${e.errors?.length ? e.errors.map((x) => x.text ?? x.message).join("\n") : e.message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(report)}\n`);
