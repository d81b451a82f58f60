// `modelc serve` with WebAssembly chunks: a version's JS chunk is swapped for the model's .wasm and
// loader (`modelc compile -o x.wasm`, which instantiates its .wasm at import) under running load,
// without a failed request, and then predicts like the library; a loader whose .wasm cannot load
// is a failed load (status END, 503), not a version that fails every request.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitWasm } from "../../emitters/as/index.ts";
import { bundle } from "../../src/bundle/bundle.ts";
import { loadModel } from "../../src/loadModel.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES, fixtureData } from "../bundle/support.ts";

const FIXTURE = "xgb3-multi-softprob";
let tmp = "";
let app: ServeApp;
let base = "";
const logs: string[] = [];
const out = () => join(tmp, "out");

async function predict(name: string, instances: unknown[], output: string) {
  const r = await fetch(`${base}/v1/models/${name}:predict`, { method: "POST", body: JSON.stringify({ instances, output }) });
  return { status: r.status, json: (await r.json()) as any };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-serve-wasm-"));
  mkdirSync(join(tmp, "models"));
  copyFileSync(join(FIXTURES, FIXTURE, "model.json"), join(tmp, "models", "iris.json"));
  await bundle([join(tmp, "models")], { out: out(), jobs: 1 });
  app = await createServeApp({ dir: out(), log: (l) => logs.push(l) });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  base = serverUrl(app.server);
}, 60_000);

afterAll(async () => {
  await app?.close(2000);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("modelc serve: WebAssembly chunks", () => {
  it("swaps a JS chunk for the .wasm build under running load, then predicts like the library", async () => {
    const { rows, expected } = fixtureData(FIXTURE);
    const list = Array.from({ length: rows.nRows }, (_, r) =>
      Array.from(rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols), (v) => (Number.isNaN(v) ? null : v)),
    );
    const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_, x) => (x instanceof Float64Array ? Array.from(x) : x)));

    const built = await emitWasm(loadModel(join(tmp, "models", "iris.json")), "table");
    writeFileSync(join(out(), "iris.wasm-1.wasm"), built.wasm);
    writeFileSync(join(out(), "iris.wasm-1.js"), built.loader("iris.wasm-1.wasm"));
    // a loader whose .wasm is not there
    writeFileSync(join(out(), "lost.wasm-1.js"), built.loader("lost.wasm-1.wasm"));

    let stop = false;
    let failed = 0;
    let answered = 0;
    const loop = async () => {
      while (!stop) {
        const r = await predict("iris", [list[answered % list.length]], "proba").catch(() => undefined);
        if (r?.status === 200) answered++;
        else failed++;
      }
    };
    const loops = Array.from({ length: 4 }, loop);
    const manifestFile = join(out(), "manifest.json");
    try {
      await new Promise((r) => setTimeout(r, 100));
      const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
      const iris = manifest.models.find((e: any) => e.name === "iris");
      manifest.models.push({ ...iris, name: "lost", chunk: "lost.wasm-1.js" });
      iris.chunk = "iris.wasm-1.js";
      writeFileSync(manifestFile + ".tmp", JSON.stringify(manifest));
      renameSync(manifestFile + ".tmp", manifestFile);
      const end = Date.now() + 20_000;
      while (!(app.registry.get("iris").ok && (app.registry.get("iris") as any).model.chunk === "iris.wasm-1.js" && app.registry.has("lost"))) {
        if (Date.now() > end) throw new Error(`no reload; log:\n${logs.join("\n")}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    expect(failed).toBe(0);
    expect(answered).toBeGreaterThan(20);

    expect((await predict("iris", list, "predict")).json.predictions).toEqual(viaJson(expected.predict));
    expect((await predict("iris", list, "proba")).json.predictions).toEqual(viaJson(expected.predict_proba));
    expect((await predict("iris", list, "raw")).json.predictions).toEqual(viaJson(expected.raw));

    const lost = await (await fetch(`${base}/v1/models/lost`)).json();
    expect(lost.model_version_status[0]).toMatchObject({ state: "END", status: { error_code: "UNKNOWN" } });
    expect(lost.model_version_status[0].status.error_message).toMatch(/lost\.wasm-1\.wasm could not be loaded/);
    expect((await predict("lost", [list[0]], "predict")).status).toBe(503);
  }, 60_000);
});
