// `modelc serve` on table models (a scikit-learn pipeline fitted on a DataFrame with string columns): `instances` as
// objects by column name and as arrays with strings, answered exactly as the library did (python/fixtures
// sk_cases_tab.py); a missing column, a number in a string column and an unknown category under
// handle_unknown="error" are 400s naming the column.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES } from "../bundle/support.ts";
import { readTableRows, rowObjects } from "../support/tableRows.ts";

const FX = "sk19-tab-ohe-hgb";
let tmp = "";
let app: ServeApp;
let base = "";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-serve-table-"));
  mkdirSync(join(tmp, "models"), { recursive: true });
  copyFileSync(join(FIXTURES, FX, "model.json"), join(tmp, "models", "churn.json"));
  await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
  app = await createServeApp({ dir: join(tmp, "out"), log: () => {} });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  base = serverUrl(app.server);
}, 120_000);

afterAll(async () => {
  await app?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function predict(model: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/v1/models/${model}:predict`, { method: "POST", body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("serve: rows with strings", () => {
  const data = readTableRows(join(FIXTURES, FX, "rows.json"));
  const expected = parseTolerantJson(readFileSync(join(FIXTURES, FX, "expected.json"), "utf8")) as { predict: unknown[]; predict_proba: number[][] };
  // JSON has no NaN: rows holding one are sent with null (the module's missing value) only where that is the same
  const finite = data.rows.map((r, i) => [r, i] as const).filter(([r]) => r.every((v) => typeof v !== "number" || Number.isFinite(v)));

  it("answers objects by column name and arrays in column order as the library did", async () => {
    const objects = rowObjects({ ...data, rows: finite.map(([r]) => r) });
    const a = await predict("churn", { instances: objects });
    expect(a.status).toBe(200);
    expect(a.json.predictions).toEqual(finite.map(([, i]) => expected.predict[i]));
    const b = await predict("churn", { instances: finite.map(([r]) => r), output: "proba" });
    expect(b.status).toBe(200);
    const got = b.json.predictions as number[][];
    finite.forEach(([, i], k) => got[k]!.forEach((v, j) => expect(Object.is(v, expected.predict_proba[i]![j]), `row ${i}`).toBe(true)));
  });

  it("names the column of a bad row, with 400", async () => {
    const row = rowObjects(data)[0]!;
    const missing = { ...row };
    delete missing[data.columns[0]!];
    const r1 = await predict("churn", { instances: [missing] });
    expect(r1.status).toBe(400);
    expect(String(r1.json.error)).toContain(`no column "${data.columns[0]}"`);
    const wrong = { ...row, [data.columns[0]!]: 12 };
    const r2 = await predict("churn", { instances: [wrong] });
    expect(r2.status).toBe(400);
    expect(String(r2.json.error)).toContain(`column "${data.columns[0]}" takes strings`);
    const r3 = await predict("churn", { instances: [42] });
    expect(r3.status).toBe(400);
  });
});
