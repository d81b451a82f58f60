// node build.mjs <bundler> <entry main.js> <outDir>: builds a browser app from main.js with one of the bundlers,
// using the recipe test/consumers/README.md gives users for the .wasm files of wasm loaders, and writes
// <outDir>/index.html loading it (Vite writes its own). Prints one JSON line: { warnings: [...] }.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const [bundler, entryArg, outArg] = process.argv.slice(2);
const entry = resolve(entryArg);
const outDir = resolve(outArg);
const warnings = [];
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const page = (script) => `<!doctype html><title>${bundler}</title>${script}\n`;

/**
 * esbuild does not rewrite `new URL("./x", import.meta.url)`: this plugin turns each such reference to a .wasm into
 * an import of the file (loader "file": esbuild copies it into outdir with a hashed name and gives its path).
 */
const wasmUrlPlugin = {
  name: "wasm-new-url",
  setup(build) {
    build.onLoad({ filter: /\.m?js$/ }, async (args) => {
      const code = readFileSync(args.path, "utf8");
      if (!code.includes("import.meta.url")) return undefined;
      const imports = [];
      const contents = code.replace(/new\s+URL\(\s*(["'])(\.\/[^"'\\]+\.wasm)\1\s*,\s*import\.meta\.url\s*\)/g, (_, _q, path) => {
        const id = `__wasm_url_${imports.length}`;
        imports.push(`import ${id} from ${JSON.stringify(decodeURIComponent(path))};`);
        return `new URL(${id}, import.meta.url)`;
      });
      return imports.length ? { contents: imports.join("\n") + "\n" + contents, loader: "js" } : undefined;
    });
  },
};

if (bundler === "vite") {
  const { build, createLogger } = await import("vite");
  // an app build: index.html beside main.js is the entry; relative base so the app can be served from any folder
  const root = dirname(entry);
  writeFileSync(join(root, "index.html"), page(`<script type="module" src="./${entry.slice(root.length + 1)}"></script>`));
  const logger = createLogger("warn");
  for (const k of ["warn", "warnOnce", "error"]) {
    const f = logger[k];
    logger[k] = (msg, o) => {
      warnings.push(String(msg));
      return f(msg, o);
    };
  }
  await build({ root, base: "./", configFile: false, customLogger: logger, logLevel: "warn", build: { outDir, emptyOutDir: true } });
} else if (bundler === "esbuild") {
  const esbuild = await import("esbuild");
  const r = await esbuild.build({
    entryPoints: [entry],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    minify: true,
    loader: { ".wasm": "file" },
    plugins: [wasmUrlPlugin],
    logLevel: "silent",
  });
  for (const w of r.warnings) warnings.push(w.text);
  writeFileSync(join(outDir, "index.html"), page(`<script type="module" src="./main.js"></script>`));
} else if (bundler === "rollup") {
  const { rollup } = await import("rollup");
  const { importMetaAssets } = await import("@web/rollup-plugin-import-meta-assets");
  const b = await rollup({ input: entry, plugins: [importMetaAssets()], onwarn: (w) => warnings.push(w.message) });
  await b.write({ dir: outDir, format: "es" });
  await b.close();
  writeFileSync(join(outDir, "index.html"), page(`<script type="module" src="./main.js"></script>`));
} else if (bundler === "webpack") {
  const webpack = (await import("webpack")).default;
  const stats = await new Promise((res, rej) =>
    webpack({ mode: "production", context: dirname(entry), entry, output: { path: outDir, filename: "main.js" }, target: "web", devtool: false }, (err, s) =>
      err ? rej(err) : res(s),
    ),
  );
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors()) throw new Error(info.errors.map((e) => e.message).join("\n"));
  for (const w of info.warnings) warnings.push(w.message);
  writeFileSync(join(outDir, "index.html"), page(`<script src="./main.js"></script>`));
} else {
  throw new Error(`unknown bundler ${bundler}`);
}
console.log(JSON.stringify({ warnings }));
