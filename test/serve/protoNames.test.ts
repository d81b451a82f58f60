// Models named after Object.prototype members (constructor, __proto__, hasOwnProperty@2, toString@3)
// through every table keyed by model name: the importer's default name, the bundle (report, manifest,
// index.js loadModel), and serve (registry, pins from --pin and the config file, routes, metrics).

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { defaultName, loadModel } from "../../src/loadModel.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES } from "../bundle/support.ts";

const NAMES = ["constructor", "__proto__", "hasOwnProperty@2", "toString@3", "valueOf"];
let tmp = "";
let out = "";
let app: ServeApp | undefined;
let base = "";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-proto-names-"));
  const src = join(tmp, "models");
  mkdirSync(src);
  for (const n of NAMES) copyFileSync(join(FIXTURES, "xgb3-binary-logistic", "model.json"), join(src, `${n}.json`));
  // a second version of `hasOwnProperty`
  copyFileSync(join(FIXTURES, "xgb3-binary-logistic", "model.json"), join(src, "hasOwnProperty@1.json"));
  out = join(tmp, "out");
  await bundle([src], { out, jobs: 1 });
}, 120_000);

afterAll(async () => {
  await app?.close(1000);
  rmSync(tmp, { recursive: true, force: true });
});

describe("models named after Object.prototype members", () => {
  it("loadModel names them from the file", () => {
    for (const n of NAMES) {
      expect(defaultName(`${n}.json`)).toBe(n);
      expect(loadModel(join(tmp, "models", `${n}.json`)).name).toBe(n);
    }
  });

  it("bundle: the index lists and loads each of them; unknown names are still refused", async () => {
    const index = (await import(pathToFileURL(join(out, "index.js")).href)) as {
      models: readonly string[];
      loadModel(name: string): Promise<{ predict(row: number[]): unknown }>;
    };
    expect([...index.models].sort()).toEqual([...NAMES, "hasOwnProperty@1"].sort());
    for (const n of NAMES) {
      const m = await index.loadModel(n);
      expect(typeof m.predict).toBe("function");
    }
    await expect(index.loadModel("isPrototypeOf")).rejects.toThrow(/unknown model/i);
  });

  it("serve: pins (--pin as a null-prototype object, and the config file), routes, metrics", async () => {
    const configFile = join(tmp, "serve.json");
    writeFileSync(configFile, '{"models": {"__proto__": {"version": "1"}, "hasOwnProperty": {"version": "1"}}}');
    const pins: Record<string, string> = Object.create(null);
    pins["constructor"] = "1";
    app = await createServeApp({ dir: out, configFile, pins, watch: false, log: () => {} });
    await new Promise<void>((r) => app!.server.listen(0, "127.0.0.1", r));
    base = serverUrl(app.server);
    expect(app.registry.names()).toEqual(["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"]);
    expect(app.registry.pinnedVersion("constructor")).toBe("1");
    expect(app.registry.pinnedVersion("__proto__")).toBe("1");
    expect(app.registry.pinnedVersion("hasOwnProperty")).toBe("1");
    expect(app.registry.pinnedVersion("toString")).toBeUndefined();
    expect(app.registry.pinnedVersion("valueOf")).toBeUndefined();
    const row = Array(30).fill(0.5);
    for (const [name, version] of [
      ["constructor", "1"],
      ["__proto__", "1"],
      ["hasOwnProperty", "1"],
      ["toString", "3"],
      ["valueOf", "1"],
    ]) {
      const status = await fetch(`${base}/v1/models/${name}`);
      expect(status.status, name).toBe(200);
      const r = await fetch(`${base}/v1/models/${name}:predict`, { method: "POST", body: JSON.stringify({ instances: [row] }) });
      expect(r.status, name).toBe(200);
      expect((await r.json()).predictions).toHaveLength(1);
      const v = await fetch(`${base}/v1/models/${name}/versions/${version}:predict`, { method: "POST", body: JSON.stringify({ instances: [row] }) });
      expect(v.status, `${name} version ${version}`).toBe(200);
    }
    const v2 = await fetch(`${base}/v1/models/hasOwnProperty/versions/2:predict`, { method: "POST", body: JSON.stringify({ instances: [row] }) });
    expect(v2.status).toBe(200);
    const unknown = await fetch(`${base}/v1/models/isPrototypeOf:predict`, { method: "POST", body: JSON.stringify({ instances: [row] }) });
    expect(unknown.status).toBe(404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const n of ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf"]) expect(metrics).toContain(`model="${n}"`);
  });
});
