// The goals of issue #18, evaluated on one results report of bench/run.mjs: every ratio compares two tools
// measured in the same run on the same rows. Used by run.mjs (console and results JSON) and report.mjs (Markdown).
//
// Goal kinds:
//   batch      modelc's best batch throughput on 10 000 rows / the peer's, at least `target`; from the interleaved
//              timing (entry.batchInterleaved: the tools kept alive side by side and timed in turns) when the run
//              made one, else from the probes (one tool after another)
//   nsPerNode  modelc's best ns per visited node in batch (1e9 / rows/s / visits per row), at most `target`; same
//              source as batch
//   single     modelc's best single-row time on plain arrays / m2cgen's, at most `target`; from the interleaved
//              measurement (entry.singleInterleaved, bench/peers/pair.mjs) when the run made one, else the probes'
//              long-loop means (singleMeanUs, separate processes)

const MODELC = ["modelc-ifelse", "modelc-table", "modelc-wasm"];
const B = "10000";

/** ns per visited node of tool t in batch on `entry` (undefined without a batch figure or visit count). */
export function nsPerNode(entry, t) {
  const v = entry.visitsPerRow;
  const r = t?.error ? undefined : t?.batchRowsPerSec?.[B];
  if (!(v > 0) || !(r > 0)) return undefined;
  return 1e9 / r / v;
}

const tool = (e, id) => e.tools.find((t) => t.tool === id);

/** modelc's best target on entry e by value fn (higher better unless lower). */
function bestModelc(e, fn, lower) {
  let best;
  for (const id of MODELC) {
    const t = tool(e, id);
    if (!t || t.error) continue;
    const v = fn(t);
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) continue;
    if (!best || (lower ? v < best.v : v > best.v)) best = { v, id };
  }
  return best;
}

/** The models whose goals need the interleaved batch timing (besides every linear model). */
export const GOAL_MODELS = ["big-xgb", "big-lgb"];

const DEFS = [
  { model: "big-xgb", kind: "batch", peer: "library", target: 1.5, what: "batch ≥ 1.5× XGBoost (native, newest)" },
  { model: "big-xgb", kind: "batch", peer: "onnxruntime", target: 1, what: "batch ≥ 1× onnxruntime-node" },
  { model: "big-lgb", kind: "batch", peer: "library", target: 1.5, what: "batch ≥ 1.5× LightGBM (native)" },
  { model: "big-lgb", kind: "batch", peer: "onnxruntime", target: 1, what: "batch ≥ 1× onnxruntime-node" },
  { model: "big-lgb", kind: "nsPerNode", target: 2, what: "batch ≤ 2 ns per visited node", ref: "lleaves" },
  { model: "linear", kind: "batch", peer: "library", target: 0.8, what: "batch ≥ 0.8× scikit-learn" },
  { model: "cancer-logreg", kind: "single", peer: "m2cgen", target: 1.2, what: "single row, plain arrays, ≤ 1.2× m2cgen's time" },
];

const fmt = (x, d = 2) => (x === undefined ? "–" : x >= 100 ? x.toFixed(0) : x.toFixed(d));

/** One row per goal and model: { goal, model, measured, target, met, value, detail }. */
export function goals(report) {
  const out = [];
  for (const g of DEFS) {
    const entries = g.model === "linear" ? report.results.filter((e) => e.linear) : report.results.filter((e) => e.model === g.model);
    if (!entries.length) {
      out.push({ goal: g.what, model: g.model === "linear" ? "linear models" : g.model, target: targetText(g), met: null, measured: "not in this run" });
      continue;
    }
    for (const e of entries) out.push(evaluate(g, e));
  }
  return out;
}

function targetText(g) {
  if (g.kind === "batch") return `≥ ${g.target}×`;
  if (g.kind === "nsPerNode") return `≤ ${g.target} ns`;
  return `≤ ${g.target}×`;
}

function evaluate(g, e) {
  const row = { goal: g.what, model: e.model, target: targetText(g), met: null };
  const il = e.batchInterleaved;
  const ilModelc = il && Object.entries(il.rowsPerSec ?? {}).find(([id]) => MODELC.includes(id));
  const ilNote = il ? `interleaved: ${il.rounds} rounds of ${il.windowMs} ms windows, tools side by side` : "";
  if (g.kind === "batch" && ilModelc && il.rowsPerSec[g.peer] > 0) {
    const [id, mv] = ilModelc;
    const pr = il.rowsPerSec[g.peer];
    const v = mv / pr;
    const label = tool(e, g.peer)?.label ?? g.peer;
    return {
      ...row,
      value: v,
      met: v >= g.target,
      measured: `${fmt(v)}×`,
      detail: `${id} ${Math.round(mv).toLocaleString("en-US")} rows/s vs ${label} ${Math.round(pr).toLocaleString("en-US")} rows/s (${ilNote})`,
    };
  }
  if (g.kind === "nsPerNode" && ilModelc && e.visitsPerRow > 0) {
    const [id, mv] = ilModelc;
    const ns = 1e9 / mv / e.visitsPerRow;
    const rr = il.rowsPerSec[g.ref];
    return {
      ...row,
      value: ns,
      met: ns <= g.target,
      measured: `${fmt(ns)} ns`,
      detail: `${id}, ${fmt(e.visitsPerRow, 0)} visited nodes per row; ${g.ref} ${rr > 0 ? `${fmt(1e9 / rr / e.visitsPerRow)} ns` : "–"} (${ilNote})`,
    };
  }
  if (g.kind === "batch") {
    const peer = tool(e, g.peer);
    const pr = peer && !peer.error ? peer.batchRowsPerSec?.[B] : undefined;
    const b = bestModelc(e, (t) => t.batchRowsPerSec?.[B]);
    if (!b || !(pr > 0))
      return { ...row, measured: `n/a (${!b ? "no modelc batch figure" : `${peer?.label ?? g.peer}: ${peer?.error ?? "no batch figure"}`})` };
    const v = b.v / pr;
    return {
      ...row,
      value: v,
      met: v >= g.target,
      measured: `${fmt(v)}×`,
      detail: `${b.id} ${Math.round(b.v).toLocaleString("en-US")} rows/s vs ${peer.label} ${Math.round(pr).toLocaleString("en-US")} rows/s (probes, one after the other)`,
    };
  }
  if (g.kind === "nsPerNode") {
    const b = bestModelc(e, (t) => nsPerNode(e, t), true);
    if (!b) return { ...row, measured: `n/a (${e.visitsPerRow ? "no modelc batch figure" : `no visit count${e.visitsError ? `: ${e.visitsError}` : ""}`})` };
    const ref = tool(e, g.ref);
    const rv = nsPerNode(e, ref);
    return {
      ...row,
      value: b.v,
      met: b.v <= g.target,
      measured: `${fmt(b.v)} ns`,
      detail: `${b.id}, ${fmt(e.visitsPerRow, 0)} visited nodes per row; ${g.ref} ${rv === undefined ? (ref?.error ? "failed" : "–") : `${fmt(rv)} ns`} (probes, one after the other)`,
    };
  }
  // single row vs m2cgen: prefer the interleaved measurement
  const si = e.singleInterleaved;
  if (si && !si.error && si.nsPerRow?.[g.peer] > 0) {
    let best;
    for (const id of MODELC) {
      const v = si.nsPerRow[id];
      if (v > 0 && (!best || v < best.v)) best = { v, id };
    }
    if (best) {
      const v = best.v / si.nsPerRow[g.peer];
      return {
        ...row,
        value: v,
        met: v <= g.target,
        measured: `${fmt(v)}×`,
        detail: `${best.id} ${fmt(best.v, 0)} ns vs ${g.peer} ${fmt(si.nsPerRow[g.peer], 0)} ns per row (interleaved in one process, ${si.rounds} rounds)`,
      };
    }
  }
  const peer = tool(e, g.peer);
  const pm = peer && !peer.error ? peer.singleMeanUs : undefined;
  const b = bestModelc(e, (t) => t.singleMeanUs, true);
  if (!b || !(pm > 0)) return { ...row, measured: `n/a (${peer?.error ?? "no single-row figure"})` };
  const v = b.v / pm;
  return {
    ...row,
    value: v,
    met: v <= g.target,
    measured: `${fmt(v)}×`,
    detail: `${b.id} ${fmt(b.v * 1000, 0)} ns vs ${g.peer} ${fmt(pm * 1000, 0)} ns per row (long-loop means, separate processes${si?.error ? `; interleaved run failed: ${si.error}` : ""})`,
  };
}

/** The goals as a Markdown table. */
export function goalsMarkdown(rows) {
  const L = ["| goal | model | measured | target | met? | how |", "|---|---|---:|---:|---|---|"];
  for (const r of rows)
    L.push(
      `| ${r.goal} | ${r.model} | ${r.measured} | ${r.target} | ${r.met === null ? "–" : r.met ? "met" : "**missed**"} | ${(r.detail ?? "").replace(/\|/g, "\\|")} |`,
    );
  return L;
}

/** The goals as console lines. */
export function goalsText(rows) {
  return rows.map(
    (r) =>
      `  ${(r.met === null ? "n/a" : r.met ? "met" : "MISSED").padEnd(6)} ${r.model.padEnd(14)} ${r.goal.padEnd(48)} ${String(r.measured).padStart(8)} (target ${r.target})${r.detail ? `  ${r.detail}` : ""}`,
  );
}
