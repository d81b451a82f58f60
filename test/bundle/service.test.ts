// The example HTTP service (examples/service/server.mjs) over a bundle: lazy loading per model,
// predictions equal to the library's, clear errors, and reload after a rebuild.

import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { FIXTURES, ROOT, SUBSET, fixtureData, modelFolder } from "./support.ts";

const MODELS = SUBSET.filter((s) => ["xgb3-multi-softprob", "xgb3-odd-names", "xgb3-multi-target-vector-leaf"].includes(s.name));

let tmp = "";
let server: Server;
let reload: () => Promise<{ models: string[]; reloaded: string[] }>;
let base = "";

async function call(path: string, body?: unknown) {
  const r = await fetch(base + path, body === undefined ? {} : { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, any> };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-service-"));
  await bundle([modelFolder(join(tmp, "models"), MODELS)], { out: join(tmp, "out") });
  const mod = await import(join(ROOT, "examples", "service", "server.mjs"));
  ({ server, reload } = await mod.createPredictionService(join(tmp, "out")));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  rmSync(tmp, { recursive: true, force: true });
});

/** JSON has no NaN and no -0: compare what JSON can carry. */
const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_, x) => (x instanceof Float64Array ? Array.from(x) : x)));

describe("example prediction service", () => {
  it("lists every model, none loaded before its first request", async () => {
    const r = await call("/models");
    expect(r.status).toBe(200);
    expect(r.json.models.map((m: { name: string }) => m.name)).toEqual(MODELS.map((m) => m.name).sort());
    expect(r.json.models.every((m: { loaded: boolean }) => !m.loaded)).toBe(true);
  });

  it("predicts every fixture row like the library, loading only the model asked for", async () => {
    for (const s of MODELS) {
      const { rows, expected } = fixtureData(s.fixture, s.file);
      const list = Array.from({ length: rows.nRows }, (_, r) =>
        Array.from(rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols), (v) => (Number.isNaN(v) ? null : v)),
      );
      const r = await call(`/models/${s.name}/predict`, { rows: list });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      expect(r.json.predict).toEqual(viaJson(expected.predict ?? expected.raw));
      if (expected.predict_proba) expect(r.json.proba).toEqual(viaJson(expected.predict_proba));
      if (expected.raw) expect(r.json.raw).toEqual(viaJson(expected.raw));
      if (s === MODELS[0]) {
        const loaded = (await call("/models")).json.models.filter((m: { loaded: boolean }) => m.loaded).map((m: { name: string }) => m.name);
        expect(loaded).toEqual([s.name]);
      }
    }
  });

  it("takes rows keyed by feature name", async () => {
    const s = MODELS.find((m) => m.name === "xgb3-odd-names")!;
    const { rows, expected } = fixtureData(s.fixture, s.file);
    const row = Object.fromEntries(rows.header.map((h, j) => [h, rows.rows[j]]));
    const r = await call(`/models/${s.name}/predict`, { row });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.predict).toBe((expected.predict as number[])[0]);
  });

  it("answers bad requests with a clear error", async () => {
    const unknown = await call("/models/churn/predict", { row: [1] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/unknown model "churn"; known models: /);
    expect(unknown.json.known).toHaveLength(MODELS.length);
    const short = await call("/models/xgb3-odd-names/predict", { row: [1, 2] });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatch(/row 0: .*expected a row of 7 features, got 2/);
    expect((await call("/models/xgb3-odd-names/predict", "{oops")).status).toBe(400);
    expect((await call("/models/xgb3-odd-names/predict", { row: { nope: 1 } })).json.error).toMatch(/unknown feature "nope"/);
  });

  it("serves a rebuilt model after a reload", async () => {
    copyFileSync(join(FIXTURES, "xgb2-multi-softprob", "model.json"), join(tmp, "models", "xgb3-multi-softprob.json"));
    await bundle([join(tmp, "models")], { out: join(tmp, "out") });
    const r = await reload();
    expect(r.reloaded).toContain("xgb3-multi-softprob");
    const { rows, expected } = fixtureData("xgb2-multi-softprob");
    const row = Array.from(rows.rows.subarray(0, rows.nCols), (v) => (Number.isNaN(v) ? null : v));
    expect((await call("/models/xgb3-multi-softprob/predict", { row })).json.proba).toEqual(viaJson((expected.predict_proba as unknown[])[0]));
    expect((await call("/models/xgb3-multi-softprob")).json.source.version).toMatch(/^2\./);
  });
});
