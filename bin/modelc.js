#!/usr/bin/env node
// The modelc command: runs the bundled CLI (dist/, built by `npm run build` and before `npm pack`).
// `--version` is answered here, without loading the CLI.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { readFileSync } = await import("node:fs");
  process.stdout.write(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version + "\n");
} else {
  await import("../dist/cli.js");
}
