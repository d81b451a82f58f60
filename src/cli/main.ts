// The `modelc` command line: compile, bundle, diff, inspect. Errors are one line on stderr:
// exit 2 for bad input or usage, 1 for a failed diff.

import { Command, CommanderError, Option } from "commander";
import { CompileError } from "../errors.ts";
import { packageVersion } from "../packageRoot.ts";
import { STYLES, TARGETS } from "../../emitters/registry.ts";
import { EXPECTED_KEYS } from "../diffKeys.ts";
import { FORMAT_NAMES } from "../importers/formats.ts";
import { defineBundleCommand } from "./bundle.ts";
import { parseBytes } from "./parseBytes.ts";
import { defineServeCommand } from "./serve.ts";

function parseRange(s: string): [number, number] {
  const m = /^(\d+):(\d+)$/.exec(s.trim());
  if (!m) throw new CompileError("E_USAGE", `--iteration-range expects BEGIN:END, got ${JSON.stringify(s)}`);
  return [Number(m[1]), Number(m[2])];
}

function parseCount(s: string): number {
  if (!/^\d+$/.test(s.trim()) || Number(s) < 1)
    throw new CompileError("E_USAGE", `--max-neighbors-table expects a positive whole number, got ${JSON.stringify(s)}`);
  return Number(s);
}

function parseClasses(s: string): (number | string)[] {
  const parts = s.split(",").map((p) => p.trim());
  if (parts.some((p) => p === "")) throw new CompileError("E_USAGE", `--classes expects a comma-separated list, got ${JSON.stringify(s)}`);
  return parts.every((p) => /^-?\d+(\.\d+)?$/.test(p)) ? parts.map(Number) : parts;
}

function modelOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--format <format>", "input format (default: detected from the content)").choices(FORMAT_NAMES))
    .option("--name <name>", "model name (default: the file's base name)")
    .option("--lenient", "accept unknown fields in the model file")
    .option("--iteration-range <begin:end>", "use only the trees of these boosting iterations", parseRange)
    .option("--classes <labels>", "class labels, comma-separated, for formats that store only 0..K-1 (LightGBM, XGBoost)", parseClasses)
    .option("--best-iteration", "use trees up to the model's best_iteration, like the scikit-learn wrapper")
    .addOption(
      new Option(
        "--predict-path <path>",
        "XGBoost path to reproduce where they differ (DART < 3.0): Booster.predict (dmatrix, the default) or inplace_predict/scikit-learn",
      ).choices(["dmatrix", "inplace"]),
    )
    .option(
      "--max-model-bytes <size>",
      "most bytes the model may take once read: the file plus its decoded arrays (default: 32 × the file's size, within 256M..4G)",
      parseBytes,
    )
    .option(
      "--max-neighbors-table <values>",
      "most training values (samples × features) a scikit-learn neighbors model may store (default 5000000)",
      parseCount,
    )
    .option("--python <path>", "a Python with modelc_export, to export a pickle/joblib model first (default: python3 on PATH, if it has it)");
}

async function exported(model: string, opts: { python?: string }): Promise<string> {
  return (await import("./exportPickle.ts")).exportedModel(model, opts.python);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name("modelc")
    .description("Compile trained models into exact, dependency-free TypeScript/JavaScript.")
    .version(packageVersion())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError();
  let exitCode = 0;

  modelOptions(
    program
      .command("compile")
      .description("compile a model into a .ts or .js/.mjs module, or a .wasm with its .js loader")
      .argument("<model>", "model file")
      .requiredOption("-o, --out <file>", "output file (.ts, .js, .mjs, or .wasm: writes a .js loader beside it)")
      .addOption(new Option("--style <style>", "code style").choices([...STYLES, "auto"]).default("auto"))
      .addOption(
        new Option("--target <target>", `${TARGETS.map((t) => `${t.name}: ${t.description}`).join("; ")} (default: from the output extension)`).choices(
          TARGETS.map((t) => t.name),
        ),
      )
      .option("--dump-ir", "print the IR as JSON on stdout instead of compiling")
      .option("--dump-lowered", "print the lowered form the printers receive (tables, cut trees, groups) for --style, instead of compiling"),
  ).action(async (model: string, opts) => {
    exitCode = await (await import("./compile.ts")).runCompile(await exported(model, opts), opts);
  });

  defineBundleCommand(program.command("bundle"), (code) => {
    exitCode = code;
  });

  defineServeCommand(program.command("serve"), (code) => {
    exitCode = code;
  });

  modelOptions(
    program
      .command("diff")
      .description("predict rows with the compiled model and compare with the library's outputs")
      .argument("<model>", "model file")
      .requiredOption("--input <rows>", "rows as CSV (header of feature names) or JSON")
      .requiredOption("--expected <file>", "expected outputs JSON: {predict, predict_proba, raw}")
      .addOption(new Option("--style <style>", "code style to check").choices([...STYLES, "auto", "all"]).default("auto"))
      .option("--tolerance <x>", "accept absolute differences up to x (never used by modelc's own tests)", Number)
      .option("--show <n>", "how many of the worst rows to print", (s) => Number.parseInt(s, 10), 10)
      .option("--json", "machine-readable report on stdout")
      .addHelpText(
        "after",
        [
          "",
          "The expected file (python -m modelc_export.reference writes it) is a JSON object with one list per",
          "output, one entry per row of --input (a number, a label, or a list for vector outputs):",
          ...EXPECTED_KEYS.map(([k, what]) => `  ${k.padEnd(18)} ${what}`),
          "Other keys are listed as not checked. Values are compared exactly (bit for bit) unless the model",
          "records that the library's own result depends on CPU kernels (modelc inspect shows the rule);",
          "the report counts values equal, within that rule, and differing. Exit 0: all within the rule;",
          "1: a mismatch; 2: bad input or nothing to compare.",
        ].join("\n"),
      ),
  ).action(async (model: string, opts) => {
    exitCode = await (await import("./diff.ts")).runDiff(await exported(model, opts), opts);
  });

  modelOptions(
    program
      .command("inspect")
      .description("describe a model: format, version, task, features, classes, trees, nodes, depth, outputs")
      .argument("<model>", "model file")
      .option("--json", "machine-readable output"),
  ).action(async (model: string, opts) => {
    exitCode = (await import("./inspect.ts")).runInspect(await exported(model, opts), opts);
  });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message; help and version exit 0
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof CompileError) {
      process.stderr.write(`modelc: ${e.toLine()}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`modelc: internal error: ${msg.split("\n")[0]} (please report this with the model file)\n`);
    return 3;
  }
}
