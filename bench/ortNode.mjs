// onnxruntime-node for the benchmarks, installed the way bench/run.mjs installs it: pinned by bench/npm's lock file,
// `npm ci --ignore-scripts` into a cache folder (default .cache/bench-npm; 288 MB, so not a devDependency of modelc),
// with ONNXRUNTIME_NODE_INSTALL=skip (its postinstall only downloads the optional CUDA/TensorRT providers from a host
// that a machine with only npm/PyPI access cannot reach; the npm package itself ships the CPU build). A stamp holding
// the lock file's sha256 marks a complete install, so a folder installed by bench/run.mjs is reused as it is.
//
//   const { ort, dir, version, error } = ensureOnnxruntimeNode({ root, dir, log });
//
// `ort` is the loaded module (undefined with `error` set when the install or the load failed).

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const tail = (s) =>
  String(s ?? "")
    .trim()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(-2)
    .join(" | ")
    .slice(0, 400);

/** Installs (when the stamp is missing or stale) and loads onnxruntime-node. */
export function ensureOnnxruntimeNode({ root, dir, log = () => {} }) {
  const npmDir = join(root, "bench", "npm");
  const version = JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8")).dependencies["onnxruntime-node"];
  const target = resolve(dir ?? join(root, ".cache", "bench-npm"));
  const lock = readFileSync(join(npmDir, "package-lock.json"), "utf8");
  const stamp = join(target, ".modelc-stamp");
  const want = createHash("sha256").update(lock).digest("hex");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== want) {
    log(`onnxruntime-node ${version} into ${target} (npm ci --ignore-scripts)`);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target, { recursive: true });
    for (const f of ["package.json", "package-lock.json"]) writeFileSync(join(target, f), readFileSync(join(npmDir, f)));
    const r = spawnSync("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: target,
      encoding: "utf8",
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "skip" },
    });
    if (r.status !== 0) return { dir: target, version, error: `npm ci onnxruntime-node failed: ${tail(r.stderr)}` };
    writeFileSync(stamp, want);
  }
  try {
    const require = createRequire(join(target, "package.json"));
    const ort = require("onnxruntime-node");
    const got = require("onnxruntime-node/package.json").version;
    if (got !== version) return { dir: target, version, error: `onnxruntime-node ${got} found, ${version} wanted` };
    return { ort, dir: target, version };
  } catch (e) {
    return { dir: target, version, error: `onnxruntime-node does not load: ${tail(e?.message ?? e)}` };
  }
}
