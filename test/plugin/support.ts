// Shared by the plugin tests: the bundlers' own npm project (installed on demand), the built package, and
// builds of a test app through buildApp.mjs in a child process (the plugin as users load it, from dist/).

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BuildReport } from "../../src/plugin/modelcUnplugin.ts";

export const HERE = import.meta.dirname;
export const ROOT = join(HERE, "..", "..");
export const BUNDLERS = ["rollup", "vite", "esbuild", "webpack"] as const;
export type Bundler = (typeof BUNDLERS)[number];

/** `npm ci` of the bundlers (vite, rollup, webpack at pinned versions) when missing or older than the lock. */
export function ensureBundlers(): void {
  const mods = join(HERE, "node_modules");
  const lock = join(HERE, "package-lock.json");
  const marker = join(mods, ".package-lock.json");
  const fresh = () => existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh()) return;
  // test files run in parallel: one installs, the others wait for it
  const busy = join(HERE, ".npm-ci.lock");
  try {
    mkdirSync(busy);
  } catch {
    const until = Date.now() + 300_000;
    while (existsSync(busy) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    if (fresh()) return;
    throw new Error("test/plugin: another test file's npm ci failed or timed out");
  }
  try {
    execFileSync("npm", ["ci", "--prefix", HERE, "--no-audit", "--no-fund"], { stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(busy, { recursive: true, force: true });
  }
}

/** The package's dist/ (the plugin entries and their worker), built once per test file. */
export function buildPackage(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

export interface AppBuild {
  ok: boolean;
  report: BuildReport | null;
  stderr: string;
}

export function buildApp(bundler: Bundler, entry: string, outDir: string, cacheDir: string): AppBuild {
  const r = spawnSync(process.execPath, [join(HERE, "buildApp.mjs"), bundler, entry, outDir, cacheDir], { encoding: "utf8" });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  return { ok: r.status === 0, report: r.status === 0 && line ? (JSON.parse(line) as BuildReport) : null, stderr: r.stderr };
}
