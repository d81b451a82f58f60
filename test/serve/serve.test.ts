// `modelc serve` end to end on a loopback port (the server of src/serve/ in this process): every
// endpoint, predictions equal to the library's, each bad request, metrics, hot reload under
// running load with no failed request, a chunk that fails to load, rollback by config, and
// graceful close with a request in flight.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES, fixtureData } from "../bundle/support.ts";

let tmp = "";
let app: ServeApp;
let base = "";
const logs: string[] = [];
let configFile = "";

const models = () => join(tmp, "models");
const out = () => join(tmp, "out");
const put = (fixture: string, as: string) => {
  mkdirSync(join(models(), as, ".."), { recursive: true });
  copyFileSync(join(FIXTURES, fixture, "model.json"), join(models(), as));
};
const rebuild = () => bundle([models()], { out: out(), jobs: 1 });

async function call(path: string, body?: unknown, method?: string) {
  const init: RequestInit =
    body === undefined ? { method: method ?? "GET" } : { method: method ?? "POST", body: typeof body === "string" ? body : JSON.stringify(body) };
  const r = await fetch(base + path, init);
  const text = await r.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, json, text, headers: r.headers };
}

/** GET /v1/models' default_version of a model (GET /v1/models/{name} is TF Serving's status, without it). */
async function defaultOf(name: string): Promise<string | null | undefined> {
  return (await call("/v1/models")).json.models.find((m: { name: string }) => m.name === name)?.default_version;
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${logs.slice(-10).join("\n")}`);
}

/** Fixture rows as JSON instances (NaN → null) and the expected outputs as JSON carries them. */
function rowsOf(fixture: string) {
  const { rows, expected } = fixtureData(fixture);
  const list = Array.from({ length: rows.nRows }, (_, r) =>
    Array.from(rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols), (v) => (Number.isNaN(v) ? null : v)),
  );
  const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_, x) => (x instanceof Float64Array ? Array.from(x) : x)));
  return {
    list,
    predict: viaJson(expected.predict ?? expected.raw),
    proba: expected.predict_proba && viaJson(expected.predict_proba),
    raw: expected.raw && viaJson(expected.raw),
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-serve-"));
  put("xgb3-dart-binary", "m/1.json"); // versions of m: 6 features each
  put("xgb3-count-poisson", "m/2.json");
  put("xgb3-multi-softprob", "iris.json"); // a classifier with probabilities
  put("xgb3-odd-names", "odd.json"); // feature names, for rows as objects
  await rebuild();
  configFile = join(tmp, "serve.json");
  writeFileSync(configFile, JSON.stringify({ models: {} }));
  app = await createServeApp({ dir: out(), configFile, maxBodyBytes: 64 << 10, log: (l) => logs.push(l) });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  base = serverUrl(app.server);
});

afterAll(async () => {
  await app?.close(2000);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("modelc serve: endpoints", () => {
  it("lists models with their versions; the newest version is the default", async () => {
    const r = await call("/v1/models");
    expect(r.status).toBe(200);
    expect(r.json.models.map((m: any) => [m.name, m.default_version, m.versions.map((v: any) => v.version)])).toEqual([
      ["iris", "1", ["1"]],
      ["m", "2", ["1", "2"]],
      ["odd", "1", ["1"]],
    ]);
    expect(r.headers.get("content-type")).toMatch(/application\/json/);
  });

  it("answers a model's status like TensorFlow Serving, for all versions or one", async () => {
    const r = await call("/v1/models/m");
    expect(r.status).toBe(200);
    // exactly TensorFlow Serving's GetModelStatusResponse: nothing beside model_version_status
    expect(Object.keys(r.json)).toEqual(["model_version_status"]);
    expect(r.json.model_version_status).toEqual([
      { version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
      { version: "2", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } },
    ]);
    expect((await call("/v1/models/m/versions/1")).json.model_version_status).toHaveLength(1);
  });

  it("gives metadata: task, features, classes, outputs", async () => {
    const r = await call("/v1/models/iris/metadata");
    expect(r.status).toBe(200);
    expect(r.json.model_spec).toEqual({ name: "iris", version: "1", signature_name: "serving_default" });
    expect(r.json.metadata).toMatchObject({ task: "multiclass", n_features: 6, classes: [0, 1, 2, 3, 4], outputs: { predict: "label", proba: 5 } });
    const odd = await call("/v1/models/odd/metadata");
    expect(odd.json.metadata.features).toHaveLength(7);
    expect((await call("/v1/models/m/versions/1/metadata")).json.metadata.task).toBe("binary");
    expect((await call("/v1/models/m/metadata")).json.model_spec.version).toBe("2");
  });

  it("predicts every fixture row like the library: predict, proba, raw", async () => {
    const iris = rowsOf("xgb3-multi-softprob");
    expect((await call("/v1/models/iris:predict", { instances: iris.list })).json).toEqual({ predictions: iris.predict });
    expect((await call("/v1/models/iris:predict", { instances: iris.list, output: "proba" })).json.predictions).toEqual(iris.proba);
    expect((await call("/v1/models/iris:predict", { instances: iris.list, output: "raw" })).json.predictions).toEqual(iris.raw);
    // versions: the default (2) and version 1 by URL
    const v1 = rowsOf("xgb3-dart-binary");
    const v2 = rowsOf("xgb3-count-poisson");
    expect((await call("/v1/models/m:predict", { instances: v2.list })).json.predictions).toEqual(v2.predict);
    expect((await call("/v1/models/m/versions/1:predict", { instances: v1.list })).json.predictions).toEqual(v1.predict);
    expect((await call("/v1/models/m/versions/2:predict", { instances: v2.list })).json.predictions).toEqual(v2.predict);
  });

  it("takes rows as objects keyed by feature name (absent or null: missing)", async () => {
    const odd = rowsOf("xgb3-odd-names");
    const names: string[] = (await call("/v1/models/odd/metadata")).json.metadata.features;
    const objects = odd.list.map((row) => Object.fromEntries(names.map((n, j) => [n, row[j]]).filter(([, v]) => v !== null)));
    const r = await call("/v1/models/odd:predict", { instances: objects });
    expect(r.status, r.text).toBe(200);
    expect(r.json.predictions).toEqual(odd.predict);
  });

  it("predicts requests that arrive together in one batch call, each with its own rows and output", async () => {
    const iris = rowsOf("xgb3-multi-softprob");
    const v1 = rowsOf("xgb3-dart-binary");
    const v2 = rowsOf("xgb3-count-poisson");
    const batched = async () => {
      const t = (await call("/metrics")).text;
      const one = Number(/^modelc_batch_requests_bucket\{le="1",model="iris",version="1"\} (\d+)$/m.exec(t)?.[1] ?? 0);
      const all = Number(/^modelc_batch_requests_count\{model="iris",version="1"\} (\d+)$/m.exec(t)?.[1] ?? 0);
      return all - one;
    };
    // bursts of concurrent requests (one or two rows each, several outputs and models) until some
    // of them were batched together; every answer must be that request's own
    for (let burst = 0; burst < 20 && (await batched()) === 0; burst++) {
      const asks = Array.from({ length: 48 }, (_, k) => {
        const i = (k * 7 + burst) % iris.list.length;
        const rows = k % 3 === 0 ? [i, (i + 1) % iris.list.length] : [i];
        if (k % 8 === 5)
          return { path: "/v1/models/m/versions/1:predict", body: { instances: [v1.list[i % v1.list.length]] }, want: [v1.predict[i % v1.list.length]] };
        if (k % 8 === 6) return { path: "/v1/models/m:predict", body: { instances: [v2.list[i % v2.list.length]] }, want: [v2.predict[i % v2.list.length]] };
        const output = (["predict", "proba", "raw"] as const)[k % 3]!;
        const want = output === "predict" ? iris.predict : output === "proba" ? iris.proba : iris.raw;
        return { path: "/v1/models/iris:predict", body: { instances: rows.map((r) => iris.list[r]), output }, want: rows.map((r) => want[r]) };
      });
      const answers = await Promise.all(asks.map((a) => call(a.path, a.body)));
      answers.forEach((r, k) => {
        expect(r.status, r.text).toBe(200);
        expect(r.json.predictions).toEqual(asks[k]!.want);
      });
    }
    expect(await batched()).toBeGreaterThan(0);
  });

  it("answers every request of a batch that fails on its own", async () => {
    const row = rowsOf("xgb3-count-poisson").list[0];
    const answers = await Promise.all(Array.from({ length: 32 }, () => call("/v1/models/m:predict", { instances: [row], output: "proba" })));
    for (const r of answers) {
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/no class probabilities/);
    }
  });

  it("answers /healthz", async () => {
    expect(await call("/healthz")).toMatchObject({ status: 200, json: { status: "ok", models: 3 } });
  });
});

describe("modelc serve: bad requests get a 4xx JSON error naming the problem", () => {
  const row = [1, 2, 3, 4, 5, 6];
  const cases: [string, string, unknown, number, RegExp][] = [
    ["malformed JSON", "/v1/models/m:predict", '{"instances": [[1, 2', 400, /malformed JSON/],
    ["empty body", "/v1/models/m:predict", "", 400, /empty/],
    ["no instances", "/v1/models/m:predict", { rows: [row] }, 400, /instances/],
    ["empty instances", "/v1/models/m:predict", { instances: [] }, 400, /instances is empty/],
    ["a row that is not an array or object", "/v1/models/m:predict", { instances: [7] }, 400, /instances\.0: expected an array/],
    ["wrong row length", "/v1/models/m:predict", { instances: [row, [1, 2, 3]] }, 400, /instances\.1: expected 6 values, got 3/],
    ["a non-numeric value", "/v1/models/m:predict", { instances: [[1, 2, "x", 4, 5, 6]] }, 400, /instances\.0\.2: .*expected number/],
    ["a non-numeric value in an object row", "/v1/models/odd:predict", { instances: [{ a: true }] }, 400, /instances\.0\.a: .*expected number/],
    ["an unknown feature name", "/v1/models/odd:predict", { instances: [{ nope: 1 }] }, 400, /unknown feature "nope"/],
    ["object rows for a model without feature names", "/v1/models/iris:predict", { instances: [{ a: 1 }] }, 400, /no feature names/],
    ["an unknown output", "/v1/models/m:predict", { instances: [row], output: "logits" }, 400, /output/],
    ["proba of a regression", "/v1/models/m:predict", { instances: [row], output: "proba" }, 400, /no class probabilities/],
    ["an unknown model", "/v1/models/nope:predict", { instances: [row] }, 404, /unknown model "nope"; known models: iris, m, odd/],
    ["an unknown version", "/v1/models/m/versions/9:predict", { instances: [row] }, 404, /no version "9"; versions: 1, 2/],
    ["an unknown version's status", "/v1/models/m/versions/9", undefined, 404, /no version/],
    ["an unknown route", "/v2/whatever", undefined, 404, /no route/],
    ["GET on predict", "/v1/models/m:predict", undefined, 405, /use POST/],
    [
      "a body over the limit",
      "/v1/models/m:predict",
      JSON.stringify({ instances: Array.from({ length: 5000 }, () => row) }),
      413,
      /over the limit of 65536 bytes/,
    ],
  ];
  for (const [title, path, body, status, message] of cases) {
    it(title, async () => {
      const r = await call(path, body, body === undefined ? "GET" : "POST");
      expect(r.status, r.text).toBe(status);
      expect(r.headers.get("content-type")).toMatch(/application\/json/);
      expect(r.json.error).toMatch(message);
    });
  }

  it("a body over the limit without content-length (chunked) is refused too", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(base + "/v1/models/m:predict", { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      for (let i = 0; i < 40; i++) req.write(Buffer.alloc(4096, 0x20));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("keeps serving after all of them", async () => {
    expect((await call("/v1/models/m:predict", { instances: [row] })).status).toBe(200);
  });
});

describe("modelc serve: /metrics", () => {
  it("has requests, errors, latency histograms per model and version, load time and rows (Prometheus text)", async () => {
    await call("/v1/models/iris:predict", {
      instances: [
        [1, 2, 3, 4, 5, 6],
        [1, 2, 3, 4, 5, 6],
      ],
    });
    const r = await call("/metrics");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/text\/plain; version=0\.0\.4/);
    const t = r.text;
    expect(t).toMatch(/^modelc_requests_total\{model="iris",version="1",endpoint="predict",code="200"\} \d+$/m);
    expect(t).toMatch(/^modelc_request_errors_total\{model="m",version="2",endpoint="predict",code="400"\} \d+$/m);
    expect(t).toMatch(/^modelc_request_errors_total\{model="",version="",endpoint="other",code="404"\} \d+$/m);
    expect(t).toMatch(/^modelc_request_duration_seconds_bucket\{le="0\.001",model="iris",version="1",endpoint="predict"\} \d+$/m);
    expect(t).toMatch(/^modelc_rows_predicted_total\{model="iris",version="1"\} \d+$/m);
    expect(t).toMatch(/^modelc_model_load_seconds\{model="m",version="2"\} [\d.e-]+$/m);
    expect(t).not.toMatch(/model="nope"/); // unknown names do not become labels
  });
});

describe("modelc serve: hot reload, failed loads, rollback", () => {
  it("swaps in a new version and a changed chunk under running load without failing a request", async () => {
    const row = rowsOf("xgb3-dart-binary").list[0];
    let stop = false;
    const statuses = new Map<number, number>();
    let errors = 0;
    const loop = async (path: string) => {
      while (!stop) {
        try {
          const r = await fetch(base + path, { method: "POST", body: JSON.stringify({ instances: [row], output: "raw" }) });
          await r.arrayBuffer();
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        } catch {
          errors++;
        }
      }
    };
    const loops = [
      ...Array.from({ length: 4 }, () => loop("/v1/models/m:predict")),
      ...Array.from({ length: 4 }, () => loop("/v1/models/m/versions/1:predict")),
    ];
    try {
      await new Promise((r) => setTimeout(r, 200));
      // a new version 3 becomes the default
      put("xgb3-rf-classifier", "m/3.json");
      await rebuild();
      await until("version 3", async () => (await defaultOf("m")) === "3");
      // version 1's file changes: its chunk is replaced
      const before = app.registry.get("m", "1");
      put("xgb3-multi-softprob", "m/1.json");
      await rebuild();
      await until("version 1's new chunk", () => {
        const now = app.registry.get("m", "1");
        return now.ok && before.ok && now.model.chunk !== before.model.chunk;
      });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(errors).toBe(0);
    expect(Object.fromEntries(statuses)).toEqual({ 200: total });
    expect(total).toBeGreaterThan(50);
    const v3 = rowsOf("xgb3-rf-classifier");
    expect((await call("/v1/models/m:predict", { instances: v3.list })).json.predictions).toEqual(v3.predict);
    const v1 = rowsOf("xgb3-multi-softprob");
    expect((await call("/v1/models/m/versions/1:predict", { instances: v1.list, output: "proba" })).json.predictions).toEqual(v1.proba);
    expect(logs.some((l) => /reloaded m version 1/.test(l))).toBe(true);
  });

  it("rolls back by pinning a version in the config file, and forward again", async () => {
    const v2 = rowsOf("xgb3-count-poisson");
    writeFileSync(configFile, JSON.stringify({ models: { m: { version: "2" } } }));
    await until("the pin", async () => (await defaultOf("m")) === "2");
    expect((await call("/v1/models/m:predict", { instances: v2.list })).json.predictions).toEqual(v2.predict);
    expect((await call("/v1/models")).json.models.find((m: any) => m.name === "m").pinned_version).toBe("2");
    // a broken config keeps the pins in force
    writeFileSync(configFile, "{not json");
    await until("the config error", () => app.registry.configProblem !== undefined);
    expect(await defaultOf("m")).toBe("2");
    writeFileSync(configFile, JSON.stringify({ models: {} }));
    await until("the pin's removal", async () => (await defaultOf("m")) === "3");
  });

  it("reports a chunk that fails to load, and keeps serving the version's previous chunk", async () => {
    const manifestFile = join(out(), "manifest.json");
    const saved = readFileSync(manifestFile, "utf8");
    try {
      const manifest = JSON.parse(saved);
      writeFileSync(join(out(), "broken.0.js"), 'throw new Error("boom: this chunk cannot load");\n');
      const m3 = manifest.models.find((e: any) => e.name === "m/3");
      manifest.models.push({ ...m3, name: "fresh", chunk: "broken.0.js" }); // a new model that never loads
      m3.chunk = "broken.0.js"; // a new chunk for a serving version
      writeFileSync(manifestFile, JSON.stringify(manifest));
      await until("the failed loads", async () => (await call("/v1/models/fresh")).status === 200);
      const m = (await call("/v1/models/m/versions/3")).json.model_version_status[0];
      expect(m).toMatchObject({ version: "3", state: "AVAILABLE", status: { error_code: "UNKNOWN" } });
      expect(m.status.error_message).toMatch(/boom: this chunk cannot load/);
      const v3 = rowsOf("xgb3-rf-classifier");
      expect((await call("/v1/models/m:predict", { instances: v3.list })).json.predictions).toEqual(v3.predict);
      const fresh = await call("/v1/models/fresh");
      expect(fresh.json.model_version_status[0]).toMatchObject({ state: "END", status: { error_code: "UNKNOWN" } });
      const p = await call("/v1/models/fresh:predict", { instances: [[1, 2, 3, 4, 5, 6]] });
      expect(p.status).toBe(503);
      expect(p.json.error).toMatch(/no loaded version.*boom/);
      expect(logs.some((l) => /m version 3: failed to load broken\.0\.js: boom.*keeps serving/.test(l))).toBe(true);
    } finally {
      writeFileSync(manifestFile, saved);
      rmSync(join(out(), "broken.0.js"), { force: true });
    }
    await until("the restored manifest", async () => (await call("/v1/models/fresh")).status === 404);
    expect((await call("/v1/models/m/versions/3")).json.model_version_status[0].status.error_code).toBe("OK");
  });
});

describe("modelc serve: graceful close", () => {
  it("finishes a request in flight, refuses new connections, then closes", async () => {
    const second = await createServeApp({ dir: out(), watch: false, log: () => {} });
    await new Promise<void>((r) => second.server.listen(0, "127.0.0.1", r));
    const url = serverUrl(second.server);
    const body = JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6]] });
    let closed = false;
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url + "/v1/models/iris:predict", { method: "POST", headers: { "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 10)); // the request is in flight: half its body sent
      setTimeout(async () => {
        const closing = second.close(5000).then(() => (closed = true));
        await new Promise((r) => setTimeout(r, 150));
        expect(closed).toBe(false); // waits for the request
        await expect(fetch(url + "/healthz")).rejects.toThrow(); // no new connections
        req.end(body.slice(10));
        await closing;
      }, 100);
    });
    const r = await answer;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).predictions).toHaveLength(1);
    await until("close", () => closed, 5000);
  });
});
