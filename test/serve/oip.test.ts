// The Open Inference Protocol (KServe v2) of `modelc serve`, called by real clients: Triton's Python
// client (tritonclient[http] and [grpc], python/requirements/oip.txt) against a server of
// src/serve/ in this process, over REST and gRPC: health, server and model metadata, inference on
// XGBoost, LightGBM and scikit-learn models (string labels as BYTES, an outlier detector's
// score_samples) and on versions, outputs exactly the fixtures' expected.json (fixtures whose
// parity rule is exact), and errors. Then
// what the Python client does not send: JSON nulls, binary tensors, gRPC `contents`, readiness.

import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES, ROOT, fixtureData } from "../bundle/support.ts";
import { type GrpcTestClient, grpcTestClient } from "../support/grpcClient.ts";

/** bundle name ← fixture file; xgb and labels have two versions (the second one serves by default) */
const MODELS: [string, string][] = [
  ["xgb/1.json", "xgb3-dart-binary/model.json"],
  ["xgb/2.json", "xgb3-binary-logistic/model.json"],
  ["lgb.txt", "lgb4-multiclass/model.txt"],
  ["labels/1.json", "sk12-rf-clf-string-labels/model.json"],
  ["labels/2.json", "sk19-rf-clf-string-labels/model.json"],
  ["outliers.json", "sk19-isolation-forest/model.json"],
];

/** the cases: model, version (undefined: the default), fixture, outputs asked for (undefined: all), datatype */
const CASES: { model: string; version?: string; fixture: string; outputs?: string[]; datatype?: "FP32" | "FP64" }[] = [
  { model: "xgb", version: "1", fixture: "xgb3-dart-binary" },
  { model: "xgb", version: "2", fixture: "xgb3-binary-logistic" },
  { model: "xgb", fixture: "xgb3-binary-logistic" },
  // XGBoost reads its input as float32: FP32 tensors give the same outputs
  { model: "xgb", version: "2", fixture: "xgb3-binary-logistic", datatype: "FP32", outputs: ["predict_proba"] },
  { model: "lgb", fixture: "lgb4-multiclass" },
  { model: "lgb", fixture: "lgb4-multiclass", outputs: ["predict_proba", "predict"] },
  { model: "labels", version: "1", fixture: "sk12-rf-clf-string-labels" },
  { model: "labels", fixture: "sk19-rf-clf-string-labels" },
  { model: "outliers", fixture: "sk19-isolation-forest" },
];

let tmp = "";
let app: ServeApp;
let base = "";
let grpcPort = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-oip-"));
  for (const [as, from] of MODELS) {
    mkdirSync(join(tmp, "models", as, ".."), { recursive: true });
    copyFileSync(join(FIXTURES, from), join(tmp, "models", as));
  }
  await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
  app = await createServeApp({ dir: join(tmp, "out"), grpc: true, log: () => {} });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  base = serverUrl(app.server);
  grpcPort = await app.grpc!.listen(0, "127.0.0.1");
}, 60_000);

afterAll(async () => {
  await app?.close(1000);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const rowsOf = (fixture: string): number[][] => {
  const { rows } = fixtureData(fixture);
  return Array.from({ length: rows.nRows }, (_, r) => Array.from(rows.rows.subarray(r * rows.nCols, (r + 1) * rows.nCols)));
};

const flat = (v: unknown): unknown[] => (Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>).flatMap(flat) : [v]);

/** A v2 output's expected values: the fixture's predict, predict_proba, raw (decision_function), score_samples. */
function expectedOf(fixture: string, output: string): unknown[] | undefined {
  const e = fixtureData(fixture).expected;
  const v = output === "raw" ? (e.raw ?? e.decision_function) : e[output as "predict" | "predict_proba" | "score_samples"];
  return v === undefined ? undefined : flat(v);
}

describe("tritonclient over REST and gRPC", () => {
  let seen: Record<"http" | "grpc", any>;

  beforeAll(async () => {
    const python = execFileSync("bash", [join(ROOT, "python", "venv.sh"), "oip"], { encoding: "utf8" }).trim();
    const plan = {
      http: base.replace(/^http:\/\//, ""),
      grpc: `127.0.0.1:${grpcPort}`,
      models: [
        ["xgb", null],
        ["xgb", "1"],
        ["labels", null],
        ["outliers", null],
      ],
      cases: CASES.map((c) => ({ ...c, rows: rowsOf(c.fixture) })),
      errors: { model: "lgb", rows: rowsOf("lgb4-multiclass").slice(0, 2) },
    };
    // asynchronous: the server answering it runs in this process
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile(python, [join(ROOT, "test", "serve", "oip_client.py")], { maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      );
      // rows hold NaN and ±Infinity: Python's json reads them as bare tokens
      const text = JSON.stringify(plan, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v));
      child.stdin!.end(text.replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, "$1"));
    });
    seen = parseTolerantJson(out) as typeof seen;
  }, 120_000);

  for (const proto of ["http", "grpc"] as const) {
    it(`${proto}: health and server metadata`, () => {
      const s = seen[proto];
      expect(s.live).toBe(true);
      expect(s.ready).toBe(true);
      expect(s.server).toMatchObject({ name: "modelc" });
      expect(typeof s.server.version).toBe("string");
    });

    it(`${proto}: model metadata from the model's API (BYTES for string labels), per version`, () => {
      const m = seen[proto].models;
      // gRPC's JSON form prints int64 as strings
      const norm = (x: any) => JSON.parse(JSON.stringify(x, (k, v) => (k === "shape" ? v.map(Number) : v)));
      expect(norm(m["xgb@"].metadata)).toEqual({
        name: "xgb",
        versions: ["1", "2"],
        platform: "modelc_js",
        inputs: [{ name: "input", datatype: "FP64", shape: [-1, 30] }],
        outputs: [
          { name: "predict", datatype: "FP64", shape: [-1] },
          { name: "predict_proba", datatype: "FP64", shape: [-1, 2] },
          { name: "raw", datatype: "FP64", shape: [-1] },
        ],
      });
      expect(norm(m["xgb@1"].metadata).inputs).toEqual([{ name: "input", datatype: "FP64", shape: [-1, 6] }]);
      expect(norm(m["labels@"].metadata).outputs[0]).toEqual({ name: "predict", datatype: "BYTES", shape: [-1] });
      expect(norm(m["outliers@"].metadata).outputs.map((o: any) => o.name)).toEqual(["predict", "raw", "score_samples"]);
      for (const k of Object.keys(m)) expect(m[k].ready).toBe(true);
    });

    it(`${proto}: infer equals the fixtures' expected outputs, for each model, version and output`, () => {
      const cases = seen[proto].cases;
      expect(cases).toHaveLength(CASES.length);
      CASES.forEach((c, i) => {
        const got = cases[i];
        expect(got.model_name).toBe(c.model);
        expect(got.model_version).toBe(c.version ?? (c.model === "xgb" || c.model === "labels" ? "2" : "1"));
        expect(got.id).toBe("req-1");
        if (c.outputs) expect(Object.keys(got.outputs).sort()).toEqual([...c.outputs].sort());
        let compared = 0;
        for (const [name, t] of Object.entries<any>(got.outputs)) {
          const rows = rowsOf(c.fixture).length;
          expect(t.shape[0], `${c.model} ${name}`).toBe(rows);
          expect(t.datatype).toBe(typeof t.data[0] === "string" ? "BYTES" : "FP64");
          const want = expectedOf(c.fixture, name);
          if (!want) continue;
          const rule = fixtureData(c.fixture).rule;
          if (rule.kind === "exact" || typeof want[0] === "string") expect(t.data, `${proto} ${c.model}@${c.version ?? ""} ${name}`).toEqual(want);
          else {
            // the fixture suite's own rule for this model (a float64 sum in another order): within its ulps or bound
            const bound = (w: number) =>
              Math.max(rule.kind === "ulps" ? rule.ulps * Number.EPSILON * Math.abs(w) : 0, rule.kind === "ulps" ? (rule.rowAbs?.([]) ?? 0) : rule.abs);
            const off = (want as number[]).filter((w, k) => !(Math.abs(t.data[k] - w) <= bound(w)));
            expect(off, `${proto} ${c.model} ${name} (${JSON.stringify(rule)})`).toEqual([]);
          }
          compared++;
        }
        expect(compared, `${c.model}: outputs compared`).toBeGreaterThan(0);
      });
    });

    it(`${proto}: errors with the protocol's codes`, () => {
      const e = seen[proto].errors;
      const code = (http: string, grpcCode: string) => (proto === "http" ? http : `StatusCode.${grpcCode}`);
      expect(e.unknown_model).toMatchObject({ status: code("404", "NOT_FOUND") });
      expect(e.unknown_model.message).toMatch(/unknown model "no-such-model"/);
      expect(e.unknown_version).toMatchObject({ status: code("404", "NOT_FOUND") });
      expect(e.wrong_shape).toMatchObject({ status: code("400", "INVALID_ARGUMENT") });
      expect(e.wrong_shape.message).toMatch(/is not \[rows, 6\]/);
      expect(e.unknown_output).toMatchObject({ status: code("400", "INVALID_ARGUMENT") });
      expect(e.metadata_unknown_model.message).toMatch(/unknown model/);
    });
  }
});

describe("REST details", () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as any,
    }));

  it("takes nested data, null as a missing value, and answers the id", async () => {
    const r = await post("/v2/models/lgb/versions/1/infer", {
      id: "x",
      inputs: [{ name: "input", datatype: "FP64", shape: [2, 6], data: [rowsOf("lgb4-multiclass")[0], [null, null, null, null, null, null]] }],
      outputs: [{ name: "predict" }],
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ model_name: "lgb", model_version: "1", id: "x", outputs: [{ name: "predict", datatype: "FP64", shape: [2] }] });
    expect(r.json.outputs[0].data[0]).toBe(expectedOf("lgb4-multiclass", "predict")![0]);
  });

  it("refuses bad requests with 400 and {error}", async () => {
    const input = { name: "input", datatype: "FP64", shape: [1, 6], data: [1, 2, 3, 4, 5, 6] };
    for (const [body, msg] of [
      ["{", /malformed JSON/],
      [{ inputs: "x" }, /inputs: expected an array/],
      [{ inputs: [{ ...input, datatype: "INT8" }] }, /datatype "INT8" is not supported/],
      [{ inputs: [{ ...input, data: [1, 2, 3] }] }, /has 3 values; its shape \[1, 6\] needs 6/],
      [{ inputs: [{ ...input, data: [1, 2, 3, 4, 5, "6"] }] }, /expected a number/],
      [{ inputs: [input, input] }, /one input tensor/],
      [{ inputs: [input], outputs: [{ name: "score_samples" }] }, /no output "score_samples"/],
    ] as const) {
      const r = await post("/v2/models/lgb/infer", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(r.json)).toEqual(["error"]);
      expect(r.json.error).toMatch(msg);
    }
    const binary = await post("/v2/models/lgb/infer", { inputs: [input] }, { "inference-header-content-length": "10" });
    expect(binary.status).toBe(400);
    expect(binary.json.error).toMatch(/binary tensor data is not supported/);
    const get = await fetch(base + "/v2/models/lgb/infer");
    expect(get.status).toBe(405);
    expect((await fetch(base + "/v2/models/lgb/versions/5/ready")).status).toBe(404);
    expect((await fetch(base + "/v2/nothing")).status).toBe(404);
  });

  it("counts v2 and gRPC requests in /metrics by endpoint", async () => {
    const text = await (await fetch(base + "/metrics")).text();
    expect(text).toMatch(/^modelc_requests_total\{model="lgb",version="1",endpoint="v2_infer",code="200"\} \d+/m);
    expect(text).toMatch(/^modelc_requests_total\{model="lgb",version="1",endpoint="grpc_model_infer",code="200"\} \d+/m);
    expect(text).toMatch(/^modelc_request_errors_total\{model="",version="",endpoint="grpc_model_infer",code="404"\} \d+/m);
  });
});

describe("gRPC details", () => {
  let client: GrpcTestClient | undefined;
  const call = <T>(method: string, req: unknown) => client!.call<T>(method, req);

  beforeAll(() => {
    client = grpcTestClient(grpcPort);
  });
  afterAll(() => client?.close());

  it("answers `contents` with `contents` (fp64_contents, bytes_contents)", async () => {
    const rows = rowsOf("sk19-rf-clf-string-labels").slice(0, 3);
    const r = await call<any>("ModelInfer", {
      model_name: "labels",
      inputs: [{ name: "input", datatype: "FP64", shape: [3, 4], contents: { fp64_contents: rows.flat() } }],
    });
    expect(r.raw_output_contents).toEqual([]);
    expect(r.outputs.map((o: any) => [o.name, o.datatype, o.shape])).toEqual([
      ["predict", "BYTES", [3]],
      ["predict_proba", "FP64", [3, 3]],
      ["raw", "FP64", [3, 3]],
    ]);
    expect(r.outputs[0].contents.bytes_contents.map((b: Buffer) => b.toString("utf8"))).toEqual(
      expectedOf("sk19-rf-clf-string-labels", "predict")!.slice(0, 3),
    );
    expect(r.outputs[1].contents.fp64_contents).toEqual(expectedOf("sk19-rf-clf-string-labels", "predict_proba")!.slice(0, 9));
  });

  it("takes NaN in raw_input_contents, and refuses a raw input of the wrong size", async () => {
    const raw = Buffer.alloc(6 * 8);
    for (let i = 0; i < 6; i++) raw.writeDoubleLE(NaN, i * 8);
    const r = await call<any>("ModelInfer", { model_name: "lgb", inputs: [{ name: "input", datatype: "FP64", shape: [1, 6] }], raw_input_contents: [raw] });
    expect(r.outputs.map((o: any) => o.name)).toEqual(["predict", "predict_proba", "raw"]);
    expect(r.raw_output_contents[1].length).toBe(r.outputs[1].shape[1] * 8);
    await expect(
      call("ModelInfer", { model_name: "lgb", inputs: [{ name: "input", datatype: "FP64", shape: [1, 6] }], raw_input_contents: [raw.subarray(8)] }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  });
});

describe("readiness", () => {
  it("is ready only when every model's pinned (or default) version is loaded; /healthz stays liveness", async () => {
    // the same bundle, with a pin to a version it does not have
    const pinned = await createServeApp({ dir: join(tmp, "out"), pins: { xgb: "7" }, watch: false, log: () => {} });
    await new Promise<void>((r) => pinned.server.listen(0, "127.0.0.1", r));
    try {
      const url = serverUrl(pinned.server);
      const ready = await fetch(url + "/v2/health/ready");
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false });
      expect((await fetch(url + "/v2/health/live")).status).toBe(200);
      expect((await fetch(url + "/healthz")).status).toBe(200);
      expect((await fetch(url + "/v2/models/lgb/ready")).status).toBe(200);
      expect((await fetch(url + "/v2/models/xgb/ready")).status).toBe(404);
      expect((await fetch(url + "/v2/models/xgb/versions/1/ready")).status).toBe(200);
    } finally {
      await pinned.close(1000);
    }
    expect((await fetch(base + "/v2/health/ready")).status).toBe(200);
  });
});
