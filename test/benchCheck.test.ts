// bench/check.mjs is what CI asserts on the quick benchmark run (scripts/test.sh): it must pass a sound report and
// catch each kind of breakage (a modelc row off by one bit, a missing model or tool, a peer with neither numbers
// nor a message, a library that did not run).
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { checkResults, QUICK_MODELS } from "../bench/check.mjs";

type Tool = Record<string, unknown> & { tool: string };
type Report = { tile: number; results: { model: string; rows: number; linear: boolean; tools: Tool[] }[] };

const timings = { singleMedianUs: 0.4, batchRowsPerSec: { "100": 1e6, "10000": 2e6 } };
function soundReport(): Report {
  return {
    tile: 10000,
    results: (QUICK_MODELS as string[]).map((model) => {
      const linear = model.endsWith("logreg");
      const modelc = ["ifelse", "table", "wasm"].map((s) => ({
        tool: `modelc-${s}`,
        ...timings,
        rowsDiffering: linear ? 3 : 0,
        rowsCompared: 189,
        maxAbsDiff: linear ? 3e-16 : 0,
        maxUlps: linear ? 2 : 0,
      }));
      return {
        model,
        rows: 189,
        linear,
        tools: [
          { tool: "library", ...timings, rowsDiffering: 0, rowsCompared: 189, maxAbsDiff: 0 },
          ...modelc,
          { tool: "m2cgen", error: "m2cgen: TypeError: unsupported operand" },
          { tool: "onnxruntime", ...timings, rowsDiffering: 65, rowsCompared: 189, maxAbsDiff: 1e-7 },
          linear
            ? { tool: "treelite", error: "treelite: NotImplementedError" }
            : { tool: "treelite", ...timings, rowsDiffering: 0, rowsCompared: 189, maxAbsDiff: 0 },
        ],
      };
    }),
  };
}
const tool = (r: Report, model: string, id: string) => r.results.find((e) => e.model === model)!.tools.find((t) => t.tool === id)!;

describe("bench/check.mjs", () => {
  it("passes a sound quick report", () => {
    expect(checkResults(soundReport())).toEqual([]);
  });

  it("fails when a tree model's modelc output differs on one row", () => {
    const r = soundReport();
    Object.assign(tool(r, "cancer-xgb", "modelc-table"), { rowsDiffering: 1, maxUlps: 1, maxAbsDiff: 1e-17 });
    expect(checkResults(r)).toEqual([expect.stringMatching(/^cancer-xgb: modelc-table differs from the library on 1 rows/)]);
  });

  it("fails when a linear model is outside its parity rule", () => {
    const r = soundReport();
    tool(r, "cancer-logreg", "modelc-wasm").maxAbsDiff = 1e-9;
    expect(checkResults(r)).toEqual([expect.stringMatching(/^cancer-logreg: modelc-wasm differs from the library by 1e-9/)]);
  });

  it("fails when a modelc target errors or lacks timings", () => {
    const r = soundReport();
    tool(r, "iris-xgb", "modelc-ifelse").error = "compile: exit 2";
    delete tool(r, "iris-xgb", "modelc-wasm").batchRowsPerSec;
    expect(checkResults(r)).toEqual([
      "iris-xgb: modelc-ifelse failed: compile: exit 2",
      expect.stringMatching(/^iris-xgb: modelc-wasm has no batchRowsPerSec\[100\]/),
    ]);
  });

  it("fails when a peer has neither numbers nor a message, or is missing", () => {
    const r = soundReport();
    const ort = tool(r, "cancer-xgb", "onnxruntime");
    delete ort.singleMedianUs;
    tool(r, "iris-xgb", "m2cgen").error = " ";
    const e = r.results.find((x) => x.model === "cancer-logreg")!;
    e.tools = e.tools.filter((t) => t.tool !== "treelite");
    expect(checkResults(r)).toEqual([
      "iris-xgb: m2cgen failed without a message",
      "cancer-xgb: onnxruntime has neither an error nor singleMedianUs",
      expect.stringMatching(/^cancer-logreg: treelite missing/),
    ]);
  });

  it("fails when a model is missing or the library did not run", () => {
    const r = soundReport();
    r.results = r.results.filter((e) => e.model !== "iris-xgb");
    tool(r, "cancer-xgb", "library").error = "timed out after 60 s";
    expect(checkResults(r)).toEqual(["iris-xgb: missing", "cancer-xgb: library failed: timed out after 60 s"]);
  });

  it("fails on a report without results", () => {
    expect(checkResults({})).toEqual(["no results array"]);
  });
});
