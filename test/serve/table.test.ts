// `modelc serve` on table models (a scikit-learn pipeline fitted on a DataFrame with string columns): `instances` as
// objects by column name and as arrays with strings, answered exactly as the library did (python/fixtures
// sk_cases_tab.py); a missing column, a number in a string column and an unknown category under
// handle_unknown="error" are 400s naming the column. The Open Inference Protocol (v2 REST and gRPC) takes one tensor
// per column: metadata, infer through our own requests and Triton's Python client (test/serve/oip_table_client.py,
// BYTES as np.object_ arrays) equal to the library's outputs, and its errors.

import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { parseTolerantJson } from "../../src/io/readJson.ts";
import { Batcher } from "../../src/serve/batcher.ts";
import type { Replies } from "../../src/serve/reply.ts";
import { createServeApp, serverUrl, type ServeApp } from "../../src/serve/server.ts";
import { inputMetadata, runInfer } from "../../src/serve/v2/infer.ts";
import { columnBatch } from "../../src/serve/v2/tableInputs.ts";
import { FIXTURES, ROOT } from "../bundle/support.ts";
import { readTableRows, rowObjects } from "../support/tableRows.ts";
import { type GrpcTestClient, grpcTestClient } from "../support/grpcClient.ts";

const FX = "sk19-tab-ohe-hgb";
let tmp = "";
let app: ServeApp;
let base = "";
let grpcPort = 0;
/** more table models: an ignored column (ColumnTransformer drops it), and handle_unknown="error" */
const DROP = "sk19-tab-ct-passthrough-drop";
const STRICT = "sk19-tab-ohe-drop";

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-serve-table-"));
  mkdirSync(join(tmp, "models"), { recursive: true });
  copyFileSync(join(FIXTURES, FX, "model.json"), join(tmp, "models", "churn.json"));
  copyFileSync(join(FIXTURES, DROP, "model.json"), join(tmp, "models", "drop.json"));
  copyFileSync(join(FIXTURES, STRICT, "model.json"), join(tmp, "models", "strict.json"));
  await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
  app = await createServeApp({ dir: join(tmp, "out"), grpc: true, log: () => {} });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  base = serverUrl(app.server);
  grpcPort = await app.grpc!.listen(0, "127.0.0.1");
}, 120_000);

afterAll(async () => {
  await app?.close(1000);
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

/** JSON as Python writes it: NaN and ±Infinity as bare tokens (the server's tolerant reader takes them). */
const pyJson = (v: unknown): string =>
  JSON.stringify(v, (_, x) => (typeof x === "number" && !Number.isFinite(x) ? `\u0000${x}` : x)).replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, "$1");

/** A fixture's rows as the module's column batch: {column: values}. */
function columnsOf(fixture: string, keep: (row: unknown[]) => boolean = () => true): { columns: Record<string, unknown[]>; index: number[] } {
  const t = readTableRows(join(FIXTURES, fixture, "rows.json"));
  const index = t.rows.flatMap((r, i) => (keep(r) ? [i] : []));
  return { columns: Object.fromEntries(t.columns.map((c, j) => [c, index.map((i) => t.rows[i]![j])])), index };
}

/** Rows whose category columns (object and str dtypes) hold strings: no None, no NaN there. */
function stringCategories(fixture: string): (row: unknown[]) => boolean {
  const t = readTableRows(join(FIXTURES, fixture, "rows.json"));
  const category = t.dtypes.map((d) => d === "object" || d === "str");
  return (r) => r.every((v, j) => !category[j] || typeof v === "string");
}

const expectedOf = (fixture: string) =>
  parseTolerantJson(readFileSync(join(FIXTURES, fixture, "expected.json"), "utf8")) as { predict: unknown[]; predict_proba: number[][]; raw?: number[] };

/** Each value the same as the library's, bit for bit (Object.is: NaN and -0 included). */
function expectSame(got: unknown[], want: unknown[], what: string) {
  expect(got.length, what).toBe(want.length);
  got.forEach((v, k) => expect(Object.is(v, want[k]), `${what}[${k}]: ${v} vs ${want[k]}`).toBe(true));
}

async function v2(path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(
    `${base}/v2/models/${path}`,
    body === undefined ? {} : { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) },
  );
  return { status: res.status, json: await res.json() };
}

/** The tensors of a column batch as the model's metadata names them (BYTES for category columns). */
function restInputs(meta: { inputs: { name: string; datatype: string }[] }, columns: Record<string, unknown[]>) {
  return meta.inputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: [columns[t.name]!.length], data: columns[t.name] }));
}

describe("Open Inference Protocol v2 (REST): one tensor per column", () => {
  it("lists the columns as inputs: BYTES for category columns, FP64 for number columns, no ignored column", async () => {
    const m = await v2("churn");
    expect(m.status).toBe(200);
    const t = readTableRows(join(FIXTURES, FX, "rows.json"));
    expect(m.json.inputs.map((i: any) => i.name)).toEqual(t.columns);
    expect(m.json.inputs.find((i: any) => i.name === "plan")).toEqual({ name: "plan", datatype: "BYTES", shape: [-1] });
    expect(m.json.inputs.find((i: any) => i.name === "age")).toEqual({ name: "age", datatype: "FP64", shape: [-1] });
    expect(m.json.outputs.map((o: any) => [o.name, o.datatype])).toEqual([
      ["predict", "BYTES"],
      ["predict_proba", "FP64"],
      ["raw", "FP64"],
    ]);
    const d = await v2("drop");
    expect(d.json.inputs).toEqual([
      { name: "plan", datatype: "BYTES", shape: [-1] },
      { name: "age", datatype: "FP64", shape: [-1] },
      { name: "spend", datatype: "FP64", shape: [-1] },
    ]);
  });

  it("infers every row (strings, null, NaN, unknown categories) as the library did, bit for bit", async () => {
    const meta = (await v2("churn")).json;
    const { columns } = columnsOf(FX);
    const want = expectedOf(FX);
    // null and NaN in a category column are different values (None where the encoder knows it, NaN): both are sent
    expect(Object.values(columns).some((c) => c.includes(null))).toBe(true);
    const r = await v2("churn/infer", pyJson({ id: "t-1", inputs: restInputs(meta, columns) }));
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.id).toBe("t-1");
    const out = Object.fromEntries(r.json.outputs.map((o: any) => [o.name, o]));
    const n = want.predict.length;
    expect(out.predict.shape).toEqual([n]);
    expect(out.predict.data).toEqual(want.predict);
    expect(out.predict_proba.shape).toEqual([n, 2]);
    expectSame(out.predict_proba.data, want.predict_proba.flat(), "predict_proba");
    // JSON has no NaN: the raw outputs as the JSON answer writes them
    if (want.raw) expectSame(out.raw.data, want.raw.flat(), "raw");
  });

  it("takes [rows, 1] tensors, FP32 number columns and an ignored column of any type; answers the module's values", async () => {
    const meta = (await v2("drop")).json;
    const { columns } = columnsOf(DROP);
    const want = expectedOf(DROP);
    const inputs = meta.inputs.map((t: any) => ({
      name: t.name,
      datatype: t.datatype,
      shape: [columns[t.name]!.length, 1],
      data: columns[t.name]!.map((v) => [v]),
    }));
    const a = await v2("drop/infer", pyJson({ inputs, outputs: [{ name: "predict" }, { name: "predict_proba" }] }));
    expect(a.status, JSON.stringify(a.json)).toBe(200);
    expect(a.json.outputs[0].data).toEqual(want.predict);
    expectSame(a.json.outputs[1].data, want.predict_proba.flat(), "predict_proba");
    // the ignored columns sent too (as BYTES and as FP64): the same answer
    const withIgnored = [
      ...restInputs(meta, columns),
      { name: "country", datatype: "BYTES", shape: [columns.country!.length], data: columns.country },
      { name: "visits", datatype: "FP64", shape: [columns.visits!.length], data: columns.visits },
    ];
    const b = await v2("drop/infer", pyJson({ inputs: withIgnored, outputs: [{ name: "predict" }] }));
    expect(b.status, JSON.stringify(b.json)).toBe(200);
    expect(b.json.outputs[0].data).toEqual(want.predict);
    // FP32: the values rounded to float32, as FP64 tensors of those rounded values answer
    const fround = (vs: unknown[]) => vs.map((v) => (typeof v === "number" ? Math.fround(v) : v));
    const as32 = restInputs(meta, columns).map((t) => (t.datatype === "FP64" ? { ...t, datatype: "FP32" } : t));
    const rounded = restInputs(meta, columns).map((t) => (t.datatype === "FP64" ? { ...t, data: fround(t.data!) } : t));
    const c = await v2("drop/infer", pyJson({ inputs: as32, outputs: [{ name: "predict_proba" }] }));
    const d = await v2("drop/infer", pyJson({ inputs: rounded, outputs: [{ name: "predict_proba" }] }));
    expect(c.status, JSON.stringify(c.json)).toBe(200);
    expectSame(c.json.outputs[0].data, d.json.outputs[0].data, "FP32 predict_proba");
  });

  it("batches column tensors of requests that arrive together; when the batch fails, each request alone", async () => {
    // the batcher of the server, driven directly so that the requests surely share a turn
    const batcher = new Batcher(true, 256, app.metrics, {} as Replies);
    const churn = app.registry.get("churn");
    const strict = app.registry.get("strict");
    if (!churn.ok || !strict.ok) throw new Error("models not loaded");
    const { columns } = columnsOf(FX);
    const want = expectedOf(FX);
    const cuts = [0, 5, 6, 30, want.predict.length];
    const slice = (c: Record<string, unknown[]>, a: number, b: number) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.slice(a, b)]));
    const batchOf = (m: typeof churn.model, c: Record<string, unknown[]>) => {
      const meta = inputMetadata(m);
      return {
        X: new Float64Array(0),
        ...columnBatch(
          m,
          meta.map((t) => ({ name: t.name, datatype: t.datatype, shape: [c[t.name]!.length], values: c[t.name]! })),
        ),
      };
    };
    const got = await Promise.all(
      cuts.slice(1).map((b, i) => runInfer(batcher, app.metrics, churn.model, batchOf(churn.model, slice(columns, cuts[i]!, b)), ["predict_proba"])),
    );
    cuts.slice(1).forEach((b, i) => expectSame(Array.from(got[i]![0]!.data as Float64Array), want.predict_proba.slice(cuts[i], b).flat(), `request ${i}`));
    // handle_unknown="error" in one request of a batch: the module throws for the batch, and each request is run alone
    const s = columnsOf(STRICT, (r) => r.every((v) => v !== null && !(typeof v === "number" && Number.isNaN(v))));
    const good = slice(s.columns, 0, 4);
    const bad = { ...slice(s.columns, 4, 6), device: ["toaster", s.columns.device![5]] };
    const [ok, failed] = await Promise.allSettled([
      runInfer(batcher, app.metrics, strict.model, batchOf(strict.model, good), ["predict"]),
      runInfer(batcher, app.metrics, strict.model, batchOf(strict.model, bad), ["predict"]),
    ]);
    const wantStrict = expectedOf(STRICT);
    expect(ok.status === "fulfilled" && ok.value[0]!.data).toEqual(s.index.slice(0, 4).map((i) => wantStrict.predict[i]));
    expect(failed.status === "rejected" && failed.reason).toMatchObject({ status: 400, message: expect.stringContaining("column device") });
  });

  it("refuses a missing, unknown, mistyped or short tensor, a non-string in BYTES and an unknown category with 400 naming it", async () => {
    const meta = (await v2("churn")).json;
    const { columns } = columnsOf(FX, (r) => r.every((v) => v !== null && !(typeof v === "number" && Number.isNaN(v))));
    const good = restInputs(meta, columns);
    const bad = async (inputs: unknown[], text: string) => {
      const r = await v2("churn/infer", pyJson({ inputs }));
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error).toContain(text);
    };
    await bad(
      good.filter((t: any) => t.name !== "country"),
      'missing "country"',
    );
    await bad([...good, { name: "colour", datatype: "BYTES", shape: [1], data: ["red"] }], 'no input "colour"');
    await bad(
      good.map((t: any) => (t.name === "plan" ? { ...t, datatype: "FP64" } : t)),
      'input "plan": datatype "FP64"',
    );
    await bad(
      good.map((t: any) => (t.name === "age" ? { ...t, datatype: "BYTES" } : t)),
      'input "age": datatype "BYTES"',
    );
    await bad(
      good.map((t: any) => (t.name === "spend" ? { ...t, shape: [t.data.length - 1], data: t.data.slice(1) } : t)),
      'input "spend" has',
    );
    await bad(
      good.map((t: any) => (t.name === "plan" ? { ...t, data: [7, ...t.data.slice(1)] } : t)),
      'input "plan" data[0]: expected a string',
    );
    await bad(
      good.map((t: any) => (t.name === "age" ? { ...t, data: ["41", ...t.data.slice(1)] } : t)),
      'input "age" data[0]: expected a number',
    );
    // handle_unknown="error": the module's RangeError names the column
    const strict = (await v2("strict")).json;
    const s = columnsOf(STRICT, (r) => r.every((v) => v !== null && !(typeof v === "number" && Number.isNaN(v))));
    const inputs = restInputs(strict, s.columns).map((t) => (t.name === "device" ? { ...t, data: ["toaster", ...t.data!.slice(1)] } : t));
    const r = await v2("strict/infer", pyJson({ inputs }));
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error).toContain("unknown category in column device");
  });
});

describe("Open Inference Protocol v2 (gRPC): one tensor per column", () => {
  let client: GrpcTestClient | undefined;
  const call = <T>(method: string, req: unknown) => client!.call<T>(method, req);

  beforeAll(() => {
    client = grpcTestClient(grpcPort);
  });
  afterAll(() => client?.close());

  it("takes bytes_contents and fp64_contents, and raw BYTES (4-byte little-endian length + UTF-8)", async () => {
    const meta = await call<any>("ModelMetadata", { name: "churn" });
    // gRPC's BYTES elements are strings: the rows whose category values are strings (number columns keep NaN)
    const { columns, index: rows } = columnsOf(FX, stringCategories(FX));
    const want = expectedOf(FX);
    const wantPredict = rows.map((i) => want.predict[i]);
    const wantProba = rows.flatMap((i) => want.predict_proba[i]!);
    const contents = meta.inputs.map((t: any) => ({
      name: t.name,
      datatype: t.datatype,
      shape: [rows.length],
      contents:
        t.datatype === "BYTES" ? { bytes_contents: columns[t.name]!.map((s) => Buffer.from(s as string, "utf8")) } : { fp64_contents: columns[t.name]! },
    }));
    const a = await call<any>("ModelInfer", { model_name: "churn", inputs: contents, outputs: [{ name: "predict" }, { name: "predict_proba" }] });
    expect(a.outputs[0].contents.bytes_contents.map((b: Buffer) => b.toString("utf8"))).toEqual(wantPredict);
    expectSame(a.outputs[1].contents.fp64_contents, wantProba, "predict_proba");
    const raw = meta.inputs.map((t: any) => {
      const vs = columns[t.name]!;
      if (t.datatype !== "BYTES") {
        const b = Buffer.alloc(vs.length * 8);
        vs.forEach((v, i) => b.writeDoubleLE(v as number, i * 8));
        return b;
      }
      return Buffer.concat(
        vs.flatMap((s) => {
          const b = Buffer.from(s as string, "utf8");
          const len = Buffer.alloc(4);
          len.writeUInt32LE(b.length);
          return [len, b];
        }),
      );
    });
    const b = await call<any>("ModelInfer", {
      model_name: "churn",
      inputs: meta.inputs.map((t: any) => ({ name: t.name, datatype: t.datatype, shape: [rows.length] })),
      outputs: [{ name: "predict_proba" }],
      raw_input_contents: raw,
    });
    const proba = b.raw_output_contents[0] as Buffer;
    expectSame(
      Array.from({ length: proba.length / 8 }, (_, i) => proba.readDoubleLE(i * 8)),
      wantProba,
      "raw predict_proba",
    );
    // a raw BYTES tensor cut inside an element, and invalid UTF-8: INVALID_ARGUMENT naming the tensor
    const planAt = meta.inputs.findIndex((t: any) => t.name === "plan");
    const cut = raw.map((r: Buffer, i: number) => (i === planAt ? r.subarray(0, r.length - 1) : r));
    await expect(
      call("ModelInfer", {
        model_name: "churn",
        inputs: meta.inputs.map((t: any) => ({ name: t.name, datatype: t.datatype, shape: [rows.length] })),
        raw_input_contents: cut,
      }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('input "plan"') });
    const notUtf8 = contents.map((t: any) =>
      t.name === "plan" ? { ...t, contents: { bytes_contents: [Buffer.from([0xff, 0xfe]), ...t.contents.bytes_contents.slice(1)] } } : t,
    );
    await expect(call("ModelInfer", { model_name: "churn", inputs: notUtf8 })).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('input "plan" element 0: not UTF-8'),
    });
  });
});

describe("Open Inference Protocol v2 for table models through tritonclient (REST and gRPC)", () => {
  let seen: Record<"http" | "grpc", any>;
  let rows: number[] = [];

  beforeAll(async () => {
    const python = execFileSync("bash", [join(ROOT, "python", "venv.sh"), "oip"], { encoding: "utf8" }).trim();
    // rows whose category values are strings (a numpy object array of str); number columns keep their NaN
    const all = columnsOf(FX, stringCategories(FX));
    rows = all.index;
    const short = Object.fromEntries(Object.entries(all.columns).map(([k, v]) => [k, v.slice(0, 3)]));
    const plan = {
      http: base.replace(/^http:\/\//, ""),
      grpc: `127.0.0.1:${grpcPort}`,
      model: "churn",
      columns: all.columns,
      errors: {
        missing: Object.fromEntries(Object.entries(short).filter(([k]) => k !== "device")),
        mismatched: { ...short, age: short.age!.slice(0, 2) },
        as_bytes: "spend",
      },
    };
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile(python, [join(ROOT, "test", "serve", "oip_table_client.py")], { maxBuffer: 64 << 20 }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout),
      );
      child.stdin!.end(pyJson(plan));
    });
    seen = parseTolerantJson(out) as typeof seen;
  }, 120_000);

  for (const proto of ["http", "grpc"] as const) {
    it(`${proto}: metadata lists the columns, infer equals the library's outputs bit for bit`, () => {
      const s = seen[proto];
      const t = readTableRows(join(FIXTURES, FX, "rows.json"));
      expect(s.metadata.inputs.map((i: any) => i.name)).toEqual(t.columns);
      expect(s.metadata.inputs.find((i: any) => i.name === "country").datatype).toBe("BYTES");
      expect(rows.length).toBeGreaterThan(10);
      const want = expectedOf(FX);
      expect(s.outputs.predict.shape).toEqual([rows.length]);
      expect(s.outputs.predict.data).toEqual(rows.map((i) => want.predict[i]));
      expect(s.outputs.predict_proba.shape).toEqual([rows.length, 2]);
      expectSame(
        s.outputs.predict_proba.data,
        rows.flatMap((i) => want.predict_proba[i]!),
        `${proto} predict_proba`,
      );
    });

    it(`${proto}: a missing tensor, mismatched rows and a wrong datatype are the protocol's bad-request errors`, () => {
      const e = seen[proto].errors;
      const code = proto === "http" ? "400" : "StatusCode.INVALID_ARGUMENT";
      expect(e.missing).toMatchObject({ status: code, message: expect.stringContaining('missing "device"') });
      expect(e.mismatched).toMatchObject({ status: code, message: expect.stringContaining('input "age" has 2 rows') });
      expect(e.wrong_datatype).toMatchObject({ status: code, message: expect.stringContaining('input "spend": datatype "BYTES"') });
    });
  }
});
