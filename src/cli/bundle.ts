// `modelc bundle <files or folders...> -o <dir>`: per-model chunks, index.js/index.d.ts, manifest.json.
// Progress on stderr (a live line on a terminal); with --json one report on stdout and nothing else.

import { Option, type Command } from "commander";
import { BUNDLE_TARGETS, STYLES } from "../../emitters/registry.ts";
import type { BundleOptions } from "../bundle/bundle.ts";
import { CompileError } from "../errors.ts";
import { FORMAT_NAMES } from "../importers/formats.ts";
import { parseBytes } from "./parseBytes.ts";

export interface BundleCliOptions extends Omit<BundleOptions, "onEvent" | "jobs"> {
  jobs?: string;
  json?: boolean;
}

function parseJobs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new CompileError("E_USAGE", `--jobs expects a whole number ≥ 1, got ${JSON.stringify(s)}`);
  return n;
}

export async function runBundle(inputs: string[], opts: BundleCliOptions): Promise<number> {
  const jobs = parseJobs(opts.jobs);
  const [{ bundle }, { BundleProgress }] = await Promise.all([import("../bundle/bundle.ts"), import("../bundle/bundleProgress.ts")]);
  const progress = opts.json ? undefined : new BundleProgress(process.stderr);
  try {
    const report = await bundle(inputs, { ...opts, jobs, onEvent: progress?.onEvent });
    if (progress) progress.finish(report);
    else process.stdout.write(JSON.stringify(report, null, 2) + "\n");
    return 0;
  } finally {
    progress?.stop();
  }
}

/** Adds the `bundle` command's arguments, options and action to `cmd` (made by program.command). */
export function defineBundleCommand(cmd: Command, setExitCode: (code: number) => void): Command {
  return cmd
    .description("compile models into per-model chunks with index.js, index.d.ts and manifest.json")
    .argument("<inputs...>", "model files, or folders to search for them (.json, .ubj, .txt)")
    .requiredOption("-o, --out <dir>", "bundle folder (created; rebuilt incrementally)")
    .addOption(new Option("--style <style>", "code style").choices([...STYLES, "auto"]).default("auto"))
    .addOption(
      new Option("--target <target>", "chunks as JavaScript, or as WebAssembly (a .wasm and its loader per model)").choices([...BUNDLE_TARGETS]).default("js"),
    )
    .addOption(new Option("--format <format>", "input format of every model (default: detected per file)").choices(FORMAT_NAMES))
    .option("--lenient", "accept unknown fields in the model files")
    .addOption(
      new Option("--predict-path <path>", "XGBoost path to reproduce where they differ (DART < 3.0)").choices(["dmatrix", "inplace"]).default("dmatrix"),
    )
    .option("--max-model-bytes <size>", "most bytes each model may take once read (default: 32 × its file's size, within 256M..4G)", parseBytes)
    .option("--max-neighbors-table <values>", "most training values (samples × features) a scikit-learn neighbors model may store (default 5000000)", Number)
    .option("-j, --jobs <n>", "worker threads (default: one per core)")
    .option("--force", "rebuild every chunk, even unchanged ones")
    .option("--json", "no progress; print a JSON report on stdout")
    .action(async (inputs: string[], opts: BundleCliOptions) => {
      setExitCode(await runBundle(inputs, opts));
    });
}
