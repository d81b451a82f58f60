// Writes the benchmark report (Markdown tables + SVG charts) from bench/run.mjs's results.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { goals, goalsMarkdown, nsPerNode } from "./goals.mjs";

const TOOLS = [
  ["modelc-ifelse", "#1f6feb"],
  ["modelc-table", "#58a6ff"],
  ["modelc-wasm", "#0b3d91"],
  ["m2cgen", "#d29922"],
  ["m2cgen-raised", "#f0b72f"],
  ["onnxruntime", "#8250df"],
  ["library", "#2da44e"],
  ["treelite", "#cf222e"],
  ["lleaves", "#bf3989"],
];
const COLOR = Object.fromEntries(TOOLS);
const MODELC = ["modelc-ifelse", "modelc-table", "modelc-wasm"];

// metric: [key fn, lower is better?, label, unit]
const METRICS = {
  single: [(t) => t.singleMedianUs, true, "single-row latency, median", "µs"],
  p99: [(t) => t.singleP99Us, true, "single-row latency, p99", "µs"],
  b100: [(t) => t.batchRowsPerSec?.["100"], false, "batch of 100 rows", "rows/s"],
  b10k: [(t) => t.batchRowsPerSec?.["10000"], false, "batch of 10 000 rows", "rows/s"],
  gzip: [(t) => t.gzipBytes, true, "output size, gzipped", "bytes"],
  gen: [(t) => t.genProcessSeconds ?? t.genSeconds, true, "code generation time (whole process)", "s"],
  load: [(t) => t.loadMs, true, "module load time", "ms"],
};

const ok = (t) => t && !t.error;
const val = (t, m) => (ok(t) || (m === "gen" && t?.genSeconds !== undefined) || (m === "gzip" && t?.gzipBytes !== undefined) ? METRICS[m][0](t) : undefined);

/** modelc's best value over its three targets for metric m. */
export function best(entry, m) {
  const [, lower] = METRICS[m];
  const vs = entry.tools
    .filter((t) => MODELC.includes(t.tool))
    .map((t) => val(t, m))
    .filter((v) => typeof v === "number" && v > 0);
  if (!vs.length) return undefined;
  return lower ? Math.min(...vs) : Math.max(...vs);
}

/** How many times modelc's best is better than tool t on metric m (> 1: modelc better). */
export function advantage(entry, t, m) {
  const b = best(entry, m);
  const v = val(t, m);
  if (b === undefined || typeof v !== "number" || v <= 0) return undefined;
  return METRICS[m][1] ? v / b : b / v;
}

const fx = (x) => (x === undefined ? "–" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
const ratio = (x) => (x === undefined ? "–" : `${fx(x)}×`);
const num = (x, d = 0) => (x === undefined || x === null ? "–" : Number(x).toLocaleString("en-US", { maximumFractionDigits: d }));
const kb = (b) => (b === undefined ? "–" : b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const esc = (s) => String(s).replace(/\|/g, "\\|").replace(/\n/g, " ");

function svgChart(results, m, title) {
  const [, lower, , unit] = METRICS[m];
  const rows = [];
  for (const e of results)
    for (const [tool] of TOOLS) {
      const t = e.tools.find((x) => x.tool === tool);
      rows.push({ model: e.model, tool, label: t?.label ?? tool, v: t ? val(t, m) : undefined, err: t?.error });
    }
  const vals = rows.map((r) => r.v).filter((v) => typeof v === "number" && v > 0);
  if (!vals.length) return undefined;
  const lo = Math.floor(Math.log10(Math.min(...vals))),
    hi = Math.ceil(Math.log10(Math.max(...vals)));
  const W = 860,
    left = 250,
    right = 90,
    barH = 13,
    gap = 2,
    groupGap = 16,
    top = 46;
  const plotW = W - left - right;
  const x = (v) => left + ((Math.log10(v) - lo) / Math.max(1, hi - lo)) * plotW;
  let y = top;
  const parts = [];
  for (const e of results) {
    parts.push(`<text x="8" y="${y + 10}" font-weight="bold">${e.model}</text>`);
    y += 14;
    for (const [tool] of TOOLS) {
      const r = rows.find((q) => q.model === e.model && q.tool === tool);
      if (!r) continue;
      parts.push(`<text x="${left - 6}" y="${y + barH - 3}" text-anchor="end">${r.label}</text>`);
      if (typeof r.v === "number" && r.v > 0) {
        const w = Math.max(1, x(r.v) - left);
        parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLOR[tool]}"/>`);
        parts.push(`<text x="${left + w + 4}" y="${y + barH - 3}">${fx(r.v)}</text>`);
      } else parts.push(`<text x="${left + 4}" y="${y + barH - 3}" fill="#888">${r.err ? "failed" : "n/a"}</text>`);
      y += barH + gap;
    }
    y += groupGap;
  }
  const H = y + 20;
  const grid = [];
  for (let k = lo; k <= hi; k++) {
    const gx = x(10 ** k);
    grid.push(
      `<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${H - 24}" stroke="#ddd"/><text x="${gx}" y="${H - 10}" text-anchor="middle" fill="#555">${k >= 3 || k <= -2 ? `1e${k}` : 10 ** k}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="8" y="18" font-size="14" font-weight="bold">${title}</text>
<text x="8" y="34" fill="#555">${unit}, log scale; ${lower ? "shorter is better" : "longer is better"}</text>
${grid.join("\n")}
${parts.join("\n")}
</svg>
`;
}

export function writeReport(report, { md, svgDir, svgRel }) {
  const { results } = report;
  mkdirSync(svgDir, { recursive: true });
  mkdirSync(dirname(md), { recursive: true });
  const charts = [];
  for (const [m, title] of [
    ["single", "Single-row latency (median, warm)"],
    ["b10k", "Batch throughput, 10 000 rows"],
    ["gzip", "Generated code size (gzip)"],
    ["gen", "Code generation time"],
  ]) {
    const svg = svgChart(results, m, title);
    if (!svg) continue;
    writeFileSync(join(svgDir, `${m}.svg`), svg);
    charts.push(`![${title}](${svgRel}/${m}.svg)`);
  }

  const L = [];
  L.push("# Benchmarks: modelc against its peers");
  L.push("");
  L.push(
    `Written by \`${report.command}\` on ${report.date.slice(0, 16).replace("T", " ")} UTC (${report.seconds} s, venv and npm installs and training included when they ran${report.budgetSeconds ? `; the treelite builds are cut to a ${report.budgetSeconds} s budget` : ""}). Do not edit by hand: re-run the command.`,
  );
  L.push("");
  L.push(
    `**Machine:** ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memGB} GB; load average at the end ${report.machine.loadavgAtEnd.join(" / ")}. The machine was shared with other builds while this ran, so absolute timings are inflated and noisy: read the **ratios** between tools, which come from the same run on the same rows.`,
  );
  L.push("");
  const v = report.versions;
  L.push(
    `**Versions:** Node ${v.node}, modelc ${v.modelc}, esbuild ${v.esbuild}, onnxruntime-node ${v.onnxruntimeNode}; Python ${v.python}: xgboost ${v["xgboost-cpu"]}, lightgbm ${v.lightgbm}, scikit-learn ${v["scikit-learn"]}, numpy ${v.numpy}, m2cgen ${v.m2cgen}, onnxmltools ${v.onnxmltools}, skl2onnx ${v.skl2onnx}, onnx ${v.onnx}, treelite ${v.treelite}, tl2cgen ${v.tl2cgen}${v.lleaves ? `; lleaves ${v.lleaves}, llvmlite ${v.llvmlite} (own venv)` : ""}.`,
  );
  L.push("");
  L.push("## How it is measured");
  L.push("");
  L.push(
    `- Every tool predicts the same held-out rows (\`rows.csv\`, tiled to ${num(report.tile)} rows for timing). The compared output is the library's \`predict_proba\` for classifiers (every class) and \`predict\` for regressors.`,
  );
  L.push(
    "- **modelc**: `modelc compile` to an ES module (`--style ifelse`, `--style table`) and to WebAssembly (`.wasm` + loader, table style); `predictProba`/`predict` per row, `predictProbaBatch`/`predictBatch` on a row-major `Float64Array`.",
  );
  L.push(
    "- **m2cgen**: `m2cgen.export_to_javascript(estimator)`, run in the same Node; one `score(row)` call per row (it has no batch API, so batches are a loop). Binary linear classifiers return one score: the probe applies the logistic function as scikit-learn does.",
  );
  L.push(
    "- **onnxruntime-node**: the model converted by onnxmltools (XGBoost, LightGBM) or skl2onnx (scikit-learn), float32 input, 1 intra-op and 1 inter-op thread; single row = one awaited `session.run`.",
  );
  L.push(
    "- **library**: the estimator's own `predict_proba`/`predict` from Python on a 1-row numpy array (1 thread), so per-call Python overhead is included; it is the reference for correctness.",
  );
  L.push(
    "- **treelite/tl2cgen**: the model compiled to C with gcc -O3 (one translation unit per 20 trees, 2 compile threads), called through `tl2cgen.Predictor(nthread=1)` from Python (per-call wrapper cost included). These builds are the slowest step, so they run last, smallest model first, each limited to 240 s (60 s with `--quick`) and to what is left of the run's time budget; a build that does not fit is recorded as timed out or skipped.",
  );
  L.push(
    "- Code generation: the whole process from command to written file (modelc: `node bin/modelc.js compile`, Node start-up included; m2cgen and the ONNX converters: a Python process that imports the library, unpickles the estimator and converts; treelite: import and gcc compile, in-script), and for the peers also the conversion call alone; peak RSS of the process. Bundling: esbuild (minify, ESM) of an entry importing the output, median of 3. Load: `import()` (or session creation) in a fresh process. Latency: every row once after warm-up (at most 10 000 rows or 3 s), median and p99 of per-call times; batch: median of 5 runs of ≥ 40 ms (one run when a single batch takes over 1 s). Before each, the JavaScript tools run the same calls in 0.5 s windows (0.25 s with `--quick`) until two windows agree within 5% (at most 4 s for single rows, 20 s for batches; with `--quick` one window for single rows and at most 1.5 s for batches): a large generated module is optimized by V8 function by function in the background and reaches its speed only after that: 'batch steady after' is the time from `import()` to the end of that warm-up.",
  );
  L.push(
    "- **lleaves** (LightGBM models only): `lleaves.Model(model.txt).compile(cache=…)` in one Python process (compile time, peak RSS), then `predict(rows, n_jobs=1)` from another, loading the compiled object file; its own venv (`python/requirements/bench-lleaves.txt`, llvmlite 0.44.0).",
  );
  L.push(
    "- **ns per visited node** (tree models): batch time per row on 10 000 rows divided by the split nodes a row passes through, summed over the trees (leaf reached per tree from the library's `pred_leaf=True` / `apply`, its depth from the model dump; root = depth 0), counted on the same rows.",
  );
  L.push(
    "- **Correctness**: rows whose output is not bit-for-bit the library's (`Object.is` on every class), and the largest absolute difference; the outputs come from the batch API, and the single-row API must give the same value on every row it timed.",
  );
  L.push(
    "- **Models** (`python/bench/models.py`, cached under `.cache/bench` by the script's hash): the boosted models are trained on 10 000 rows and the forest on 5 000 (same shapes: 1000 trees depth 8, 500 trees of 63 leaves, 200 trees depth 10); 10 000 held-out rows for the synthetic models.",
  );
  L.push(
    "- **Ratios** (×): how many times modelc's best target (of ifelse, table, wasm) in the same run is better than the tool: > 1 means modelc is better, < 1 worse.",
  );
  L.push("");
  L.push("## Headline");
  L.push("");
  L.push(headline(report).join("\n"));
  L.push("");
  L.push("## Goals (issue #18)");
  L.push("");
  L.push(
    "Ratios within this run. modelc = its best target for the figure; batch = 10 000 rows, 1 thread; single row = `predictProba` on plain arrays, interleaved with m2cgen in one process.",
  );
  L.push("");
  L.push(goalsMarkdown(report.goals ?? goals(report)).join("\n"));
  L.push("");
  for (const n of report.notes ?? []) L.push(`Note: ${n}`, "");
  // hand-written analysis of a reference run (goals, where the time goes), kept beside this file
  const notes = join(import.meta.dirname, "notes.md");
  if (!report.quick && existsSync(notes)) L.push(readFileSync(notes, "utf8").trim(), "");
  if (charts.length) {
    L.push("## Charts");
    L.push("");
    for (const c of charts) L.push(c, "");
  }
  for (const e of results) {
    L.push(`## ${e.model}`);
    L.push("");
    L.push(
      `${e.desc}; ${e.library}; ${e.features} features; ${e.rows} held-out rows (outputs per row: ${e.width}, \`${e.outputKind}\`); model file ${kb(e.modelBytes)}.${e.visitsPerRow ? ` ${num(e.visitsPerRow, 1)} split nodes visited per row on average${e.trees ? ` (${num(e.trees)} trees)` : ""}.` : ""}`,
    );
    L.push("");
    L.push(
      "| tool | codegen s (process) | codegen s (call) | codegen peak MB | size | gzip | esbuild ms | load ms | 1-row median µs | 1-row p99 µs | rows/s @100 | rows/s @10 000 | batch steady after s | ns / visited node | rows ≠ library | max \\|diff\\| (ulps) |",
    );
    L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const t of e.tools) {
      if (t.error && t.genSeconds === undefined) {
        L.push(`| ${t.label} | **failed:** ${esc(t.error)} |||||||||||||||`);
        continue;
      }
      L.push(
        `| ${t.label} | ${fx(t.genProcessSeconds ?? (t.tool.startsWith("modelc") ? t.genSeconds : undefined))} | ${fx(t.tool.startsWith("modelc") ? undefined : t.genSeconds)} | ${num(t.genPeakMB)} | ${kb(t.bytes)} | ${kb(t.gzipBytes)} | ${t.bundleMs !== undefined ? fx(t.bundleMs) : t.bundleError ? "n/a" : "–"} | ${t.loadMs !== undefined ? fx(t.loadMs) : "–"} | ${fx(t.singleMedianUs)} | ${fx(t.singleP99Us)} | ${num(t.batchRowsPerSec?.["100"])} | ${num(t.batchRowsPerSec?.["10000"])} | ${t.batchWarmup ? `${fx(t.batchWarmup.doneAfterS)}${t.batchWarmup.steady ? "" : " (not steady)"}` : "–"} | ${nsPerNode(e, t) === undefined ? "–" : nsPerNode(e, t).toFixed(2)} | ${t.error ? `**failed:** ${esc(t.error)}` : t.correctnessError ? esc(t.correctnessError) : `${num(t.rowsDiffering)} / ${num(t.rowsCompared)}`} | ${t.error ? "–" : t.maxAbsDiff === 0 ? "0" : `${t.maxAbsDiff?.toExponential(2)} (${t.maxUlps === Infinity ? "∞" : num(t.maxUlps)})`} |`,
      );
    }
    L.push("");
    const il = e.batchInterleaved;
    if (il && Object.keys(il.rowsPerSec ?? {}).length) {
      L.push(
        `Interleaved batch timing (the tools kept alive side by side, ${il.rounds} rounds of ${il.windowMs} ms windows each, median): ${Object.entries(
          il.rowsPerSec,
        )
          .map(
            ([id, v]) =>
              `${e.tools.find((t) => t.tool === id)?.label ?? id} ${num(v)} rows/s${e.visitsPerRow ? ` (${(1e9 / v / e.visitsPerRow).toFixed(2)} ns/node)` : ""}`,
          )
          .join("; ")}${Object.keys(il.errors ?? {}).length ? `; failed: ${esc(JSON.stringify(il.errors))}` : ""}.`,
        "",
      );
    }
    L.push("modelc's best target against each tool (× = how many times modelc is better; < 1: worse):");
    L.push("");
    L.push("| tool | 1-row median | 1-row p99 | rows/s @100 | rows/s @10 000 | gzip size | codegen time |");
    L.push("|---|---:|---:|---:|---:|---:|---:|");
    for (const t of e.tools) {
      if (MODELC.includes(t.tool)) continue;
      L.push(
        `| ${t.label} | ${ratio(advantage(e, t, "single"))} | ${ratio(advantage(e, t, "p99"))} | ${ratio(advantage(e, t, "b100"))} | ${ratio(advantage(e, t, "b10k"))} | ${ratio(advantage(e, t, "gzip"))} | ${ratio(advantage(e, t, "gen"))} |`,
      );
    }
    L.push("");
  }
  writeFileSync(md, L.join("\n") + "\n");
  return md;
}

/** One line per model: modelc's best against m2cgen, onnxruntime-node, the library. */
export function headline(report) {
  const L = [];
  L.push(
    "| model | modelc 1-row µs | vs m2cgen | vs onnxruntime-node | vs library (Python) | batch 10k vs library | vs treelite C | gzip vs m2cgen | codegen vs m2cgen | modelc rows ≠ library |",
  );
  L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const e of report.results) {
    const t = (name) => e.tools.find((x) => x.tool === name);
    const a = (name, m) => {
      const x = t(name);
      if (x?.error && (m === "gen" || m === "gzip") && advantage(e, x, m) !== undefined) return `${ratio(advantage(e, x, m))}²`;
      if (name === "m2cgen" && x?.error) {
        const y = t("m2cgen-raised");
        return y && !y.error ? `failed¹; ${ratio(advantage(e, y, m))}` : "failed";
      }
      if (x?.error && !(m === "gen" || m === "gzip")) return "failed";
      return ratio(advantage(e, x, m));
    };
    const mc = e.tools.filter((x) => MODELC.includes(x.tool));
    const differ = mc.map((x) => (x.error ? "failed" : x.rowsDiffering ? `${x.rowsDiffering} (≤ ${x.maxAbsDiff.toExponential(1)})` : "0")).join(" / ");
    L.push(
      `| ${e.model} | ${fx(best(e, "single"))} | ${a("m2cgen", "single")} | ${a("onnxruntime", "single")} | ${a("library", "single")} | ${a("library", "b10k")} | ${a("treelite", "b10k")} | ${a("m2cgen", "gzip")} | ${a("m2cgen", "gen")} | ${differ} |`,
    );
  }
  L.push("");
  L.push(
    `× = how many times modelc's best target is better (> 1 better, < 1 worse); "batch 10k" and "vs treelite C" compare throughput on 10 000 rows; codegen compares whole processes (command to file). Last column: rows not bit-for-bit equal to the library for ifelse / table / wasm (of ${report.results.map((e) => e.rows).join(", ")} rows); in brackets the largest |difference|; modelc's parity rule allows a difference only where the library goes through BLAS (linear models: ≤ 4 ulps or the dot product's rounding-error bound), trees must be exact. ¹ m2cgen failed (see the model's table); the figure after it is m2cgen with Python's recursion limit raised to 10⁶. ² the peer generated its output, which then failed to run.`,
  );
  return L;
}
