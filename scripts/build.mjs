// Bundles the CLI into dist/cli.js and the bundle worker into dist/bundleWorker.js (dependencies stay external).
import { build } from "esbuild";

for (const [entry, outfile] of [
  ["src/cli/index.ts", "dist/cli.js"],
  ["src/bundle/worker.ts", "dist/bundleWorker.js"],
]) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
}
