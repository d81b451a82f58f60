// Each model is a dynamic import: Vite puts it in a chunk of its own (and the wasm build's .wasm in an asset),
// fetched on the first click. The sample rows come along as text (Vite's ?raw), in the same lazy step.

type Model = typeof import("../models/cancer-xgb.json?modelc").default;

const models = {
  xgb: {
    title: "XGBoost, compiled to JavaScript",
    load: () => import("../models/cancer-xgb.json?modelc"),
    rows: () => import("../models/cancer-xgb.csv?raw"),
  },
  lgb: {
    title: "LightGBM, compiled to WebAssembly",
    load: () => import("../models/cancer-lgb.txt?modelc&target=wasm"),
    rows: () => import("../models/cancer-lgb.csv?raw"),
  },
};

const status = document.querySelector<HTMLDivElement>("#status")!;
const table = document.querySelector<HTMLTableElement>("#predictions")!;

/** CSV with a header line; an empty cell is a missing value (NaN), as are "nan"; "inf" and "-inf" are infinities. */
function parseRows(csv: string): number[][] {
  const lines = csv.split(/\r?\n/).filter((l) => l !== "");
  return lines.slice(1).map((line) =>
    line.split(",").map((cell) => {
      const c = cell.trim().toLowerCase();
      if (c === "" || c === "nan") return Number.NaN;
      if (c === "inf" || c === "+inf") return Number.POSITIVE_INFINITY;
      if (c === "-inf") return Number.NEGATIVE_INFINITY;
      return Number(c);
    }),
  );
}

/** Every digit of a float64 (the shortest text that reads back as the same number), and -0 as "-0". */
const num = (v: number) => (Object.is(v, -0) ? "-0" : String(v));
const show = (v: number | string | number[] | undefined) =>
  v === undefined ? "" : typeof v === "string" ? v : typeof v === "number" ? num(v) : Array.from(v, num).join(" ");

function render(model: Model, rows: number[][]): void {
  const body = table.tBodies[0]!;
  body.replaceChildren();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    for (const text of [String(i), show(model.predict(row)), show(model.predictProba?.(row)), show(model.predictRaw(row))]) tr.insertCell().textContent = text;
  });
  table.hidden = false;
}

for (const [id, entry] of Object.entries(models)) {
  document.querySelector<HTMLButtonElement>(`#${id}`)!.addEventListener("click", async () => {
    status.textContent = `Loading ${entry.title}…`;
    delete status.dataset["model"];
    try {
      const t0 = performance.now();
      const [{ default: model }, { default: csv }] = await Promise.all([entry.load(), entry.rows()]);
      const rows = parseRows(csv);
      render(model, rows);
      const ms = (performance.now() - t0).toFixed(0);
      status.textContent = `${entry.title}: ${model.meta.task}, ${model.meta.nFeatures} features, ${rows.length} rows predicted (loaded in ${ms} ms).`;
      status.dataset["model"] = id;
    } catch (e) {
      status.textContent = `Failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  });
}
