// The Open Inference Protocol's HTTP/REST API (KServe v2) beside TensorFlow Serving's:
//
//   GET  /v2                                              server metadata {name, version, extensions}
//   GET  /v2/health/live                                  {"live": true}; 503 while shutting down
//   GET  /v2/health/ready                                 {"ready": true} when every model's default version is loaded; else 503
//   GET  /v2/models/{name}[/versions/{v}]                 model metadata {name, versions, platform, inputs, outputs}
//   GET  /v2/models/{name}[/versions/{v}]/ready           {"name", "ready"}; 503 while the version is not loaded
//   POST /v2/models/{name}[/versions/{v}]/infer           {id?, parameters?, inputs: [{name, shape, datatype, data}], outputs?: [{name}]}
//
// Errors are {"error": "..."}: 400 (bad request), 404 (unknown model, version or route), 405, 413,
// 503 (version not loaded). Tensor data is JSON only (Triton's binary tensor extension is refused
// with a 400 that says so); null in FP64/FP32 input data is a missing value (NaN), and the bare
// NaN/Infinity tokens Python clients write are read as those numbers. A table model with string columns
// takes one tensor per column (./tableInputs.ts): BYTES data as strings (null: a missing value).

import type { IncomingMessage } from "node:http";
import { parseTolerantJson } from "../../io/readJson.ts";
import { packageVersion } from "../../packageRoot.ts";
import type { Batcher } from "../batcher.ts";
import { readBodyText } from "../body.ts";
import type { ServeMetrics } from "../metrics.ts";
import { HttpError, takesStrings } from "../predict.ts";
import type { LoadedVersion, ModelRegistry } from "../registry.ts";
import { checkInput, modelMetadata, runInfer, selectOutputs, serverReady, type OutputTensor } from "./infer.ts";
import { columnBatch } from "./tableInputs.ts";

export interface V2Deps {
  registry: ModelRegistry;
  metrics: ServeMetrics;
  batcher: Batcher;
  requests: { readonly draining: boolean };
  maxBody: number;
}

/** What a request was, for its metrics: filled in as it is understood. */
export interface V2Labels {
  endpoint: string;
  model: string;
  version: string;
}

export const isV2Path = (path: string): boolean => path === "/v2" || path.startsWith("/v2/");

/** The server metadata of both APIs. */
export function serverMetadata() {
  return { name: "modelc", version: packageVersion(), extensions: [] as string[] };
}

export class V2Rest {
  constructor(private readonly d: V2Deps) {}

  /** The answer to a /v2 request (status and JSON text), or throws HttpError. */
  async answer(req: IncomingMessage, path: string, at: V2Labels): Promise<{ status: number; text: string }> {
    const { registry } = this.d;
    const json = (status: number, body: unknown) => ({ status, text: JSON.stringify(body) });
    if (path === "/v2" || path === "/v2/") {
      at.endpoint = "v2_server_metadata";
      requireMethod(req, "GET");
      return json(200, serverMetadata());
    }
    if (path === "/v2/health/live") {
      at.endpoint = "v2_live";
      requireMethod(req, "GET");
      const live = !this.d.requests.draining;
      return json(live ? 200 : 503, { live });
    }
    if (path === "/v2/health/ready") {
      at.endpoint = "v2_ready";
      requireMethod(req, "GET");
      const ready = serverReady(registry, this.d.requests.draining);
      return json(ready ? 200 : 503, { ready });
    }
    const r = path.startsWith("/v2/models/") ? parseV2ModelPath(path.slice("/v2/models/".length)) : undefined;
    if (!r) throw new HttpError(404, `no route ${req.method} ${path}`);
    at.endpoint = `v2_${r.action}`;
    if (!registry.has(r.name)) throw new HttpError(404, `unknown model ${JSON.stringify(r.name)}; known models: ${registry.names().join(", ") || "(none)"}`);
    at.model = r.name;
    requireMethod(req, r.action === "infer" ? "POST" : "GET");
    const got = registry.get(r.name, r.version);
    if (!got.ok) {
      // a known version that is not loaded is not ready; anything else is the registry's error
      if (r.action === "ready" && got.status === 503) return json(503, { name: r.name, ready: false });
      throw new HttpError(got.status, got.error);
    }
    const m: LoadedVersion = got.model;
    at.version = m.version;
    if (r.action === "ready") return json(200, { name: m.name, ready: true });
    if (r.action === "metadata") return json(200, modelMetadata(registry, m));

    if (req.headers["inference-header-content-length"] !== undefined)
      throw new HttpError(400, "binary tensor data is not supported: send the tensors' data as JSON (tritonclient: binary_data=False)");
    const body = parseInferBody(await readBodyText(req, this.d.maxBody));
    let rows: { X: Float64Array; n: number; columns?: Record<string, unknown[]> };
    if (takesStrings(m)) {
      // a table model: one tensor per column, its data flat or nested as [rows, 1]
      rows = {
        X: new Float64Array(0),
        ...columnBatch(
          m,
          body.inputs.map((t) => ({ ...t, values: t.data.flat() })),
        ),
      };
    } else {
      const input = body.inputs[0];
      const n = checkInput(m, body.inputs.length, input?.datatype, input?.shape ?? []);
      rows = { X: inputData(input!.data, n, m.entry.nFeatures, input!.datatype === "FP32"), n };
    }
    const outputs = selectOutputs(
      m,
      body.outputs?.map((o) => o.name),
    );
    const tensors = await runInfer(this.d.batcher, this.d.metrics, m, rows, outputs);
    return { status: 200, text: inferResponseJson(m, body.id, tensors) };
  }
}

interface InferBody {
  id?: string;
  inputs: { name: string; datatype: string; shape: unknown[]; data: unknown[] }[];
  outputs?: { name: string }[];
}

function parseInferBody(text: string): InferBody {
  if (text.trim() === "") throw new HttpError(400, "the request body is empty; expected an inference request (JSON)");
  let b: unknown;
  try {
    b = JSON.parse(text);
  } catch (e) {
    // Python clients (tritonclient, KServe's) write numpy's NaN and ±Infinity as bare tokens
    try {
      b = parseTolerantJson(text, undefined, { maxDepth: 64 });
    } catch {
      throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
    }
  }
  const bad = (what: string) => new HttpError(400, `invalid inference request: ${what}`);
  if (!isObject(b)) throw bad("expected a JSON object");
  if (b.id !== undefined && typeof b.id !== "string") throw bad("id: expected a string");
  if (b.parameters !== undefined && !isObject(b.parameters)) throw bad("parameters: expected an object");
  if (!Array.isArray(b.inputs)) throw bad("inputs: expected an array of tensors");
  b.inputs.forEach((t: unknown, i: number) => {
    if (!isObject(t)) throw bad(`inputs.${i}: expected an object`);
    if (typeof t.name !== "string") throw bad(`inputs.${i}.name: expected a string`);
    if (typeof t.datatype !== "string") throw bad(`inputs.${i}.datatype: expected a string`);
    if (!Array.isArray(t.shape)) throw bad(`inputs.${i}.shape: expected an array of integers`);
    if (!Array.isArray(t.data)) throw bad(`inputs.${i}.data: expected an array`);
    if (t.parameters !== undefined && !isObject(t.parameters)) throw bad(`inputs.${i}.parameters: expected an object`);
  });
  if (b.outputs !== undefined) {
    if (!Array.isArray(b.outputs)) throw bad("outputs: expected an array");
    b.outputs.forEach((o: unknown, i: number) => {
      if (!isObject(o) || typeof o.name !== "string") throw bad(`outputs.${i}.name: expected a string`);
    });
  }
  return b as unknown as InferBody;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * JSON tensor data (flat, or nested as the shape) → n×nF row-major values; null (and NaN, as Python
 * clients write it) is a missing value; FP32 values are rounded to float32.
 */
function inputData(data: unknown[], n: number, nF: number, fp32: boolean): Float64Array {
  const X = new Float64Array(n * nF);
  let at = 0;
  const put = (list: unknown[], depth: number): void => {
    for (const v of list) {
      if (Array.isArray(v)) {
        if (depth >= 1) throw new HttpError(400, "input data: nested deeper than the shape [rows, features]");
        put(v, depth + 1);
        continue;
      }
      if (at >= X.length) {
        at++;
        continue;
      }
      if (typeof v === "number") X[at++] = fp32 ? Math.fround(v) : v;
      else if (v === null) X[at++] = NaN;
      else throw new HttpError(400, `input data[${at}]: expected a number (or null for a missing value), got ${JSON.stringify(v)}`);
    }
  };
  put(data, 0);
  if (at !== X.length) throw new HttpError(400, `input data has ${at} values; its shape [${n}, ${nF}] needs ${X.length}`);
  return X;
}

function inferResponseJson(m: LoadedVersion, id: string | undefined, tensors: OutputTensor[]): string {
  return JSON.stringify({
    model_name: m.name,
    model_version: m.version,
    ...(id !== undefined ? { id } : {}),
    outputs: tensors.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: Array.isArray(t.data) ? t.data : Array.from(t.data) })),
  });
}

/** `{name}[/versions/{v}][/ready|/infer]`; names may hold `/` (folder bundles). */
function parseV2ModelPath(rest: string): { name: string; version?: string; action: "metadata" | "ready" | "infer" } | undefined {
  let action: "metadata" | "ready" | "infer" = "metadata";
  if (rest.endsWith("/infer")) {
    action = "infer";
    rest = rest.slice(0, -"/infer".length);
  } else if (rest.endsWith("/ready")) {
    action = "ready";
    rest = rest.slice(0, -"/ready".length);
  }
  let version: string | undefined;
  const v = /^(.+)\/versions\/([^/]+)$/.exec(rest);
  if (v) {
    rest = v[1]!;
    version = v[2]!;
  }
  try {
    const name = decodeURIComponent(rest);
    if (version !== undefined) version = decodeURIComponent(version);
    return name === "" ? undefined : { name, version, action };
  } catch {
    return undefined;
  }
}

function requireMethod(req: IncomingMessage, method: "GET" | "POST") {
  if (req.method !== method && !(method === "GET" && req.method === "HEAD"))
    throw new HttpError(405, `use ${method} here, not ${req.method}`, { allow: method });
}
