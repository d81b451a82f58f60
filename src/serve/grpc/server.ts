// The Open Inference Protocol's gRPC service (inference.GRPCInferenceService, ./inference.proto) on
// a port of its own, over the same registry, versions, pins, batcher and metrics as the REST APIs:
//
//   ServerLive, ServerReady       as GET /v2/health/live and /v2/health/ready (ready: every model's default version loaded)
//   ModelReady                    ready: the version (empty: the default one) is loaded; NOT_FOUND for an unknown model or version
//   ServerMetadata, ModelMetadata as GET /v2 and /v2/models/{name}[/versions/{v}]
//   ModelInfer                    one input, FP64 or FP32, in raw_input_contents (little-endian) or in contents;
//                                 a table model with string columns: one input per column (../v2/tableInputs.ts),
//                                 BYTES in bytes_contents or raw (4-byte little-endian length + UTF-8 per element)
//
// A request that sent its input as raw_input_contents gets its outputs as raw_output_contents (as
// Triton answers; FP64 little-endian, BYTES as a 4-byte little-endian length and the UTF-8 bytes of
// each element); one that sent contents gets contents (fp64_contents, bytes_contents). Errors are
// gRPC statuses: INVALID_ARGUMENT (the REST API's 400), NOT_FOUND (404), UNAVAILABLE (503, a version
// not loaded), RESOURCE_EXHAUSTED (413), INTERNAL. Metrics count calls under the endpoint
// grpc_<method> with the REST API's status code for the outcome.

import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { packageRoot } from "../../packageRoot.ts";
import type { Batcher } from "../batcher.ts";
import type { ServeMetrics } from "../metrics.ts";
import { HttpError, takesStrings } from "../predict.ts";
import type { LoadedVersion, ModelRegistry } from "../registry.ts";
import { checkInput, modelMetadata, runInfer, selectOutputs, serverReady, type OutputTensor } from "../v2/infer.ts";
import { serverMetadata } from "../v2/rest.ts";
import { checkColumnDatatype, columnBatch, type DecodedTensor, rowsOfShape } from "../v2/tableInputs.ts";

export const PROTO_FILE = join("src", "serve", "grpc", "inference.proto");

export interface GrpcDeps {
  registry: ModelRegistry;
  metrics: ServeMetrics;
  batcher: Batcher;
  requests: { readonly draining: boolean };
  /** largest request message in bytes */
  maxBody: number;
  log: (line: string) => void;
}

interface TensorContents {
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

interface InferRequest {
  model_name: string;
  model_version: string;
  id: string;
  inputs: { name: string; datatype: string; shape: number[]; contents: TensorContents | null }[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

type Callback<T> = (err: Partial<grpc.StatusObject> | null, value?: T) => void;

const CODE: Record<number, grpc.status> = {
  400: grpc.status.INVALID_ARGUMENT,
  404: grpc.status.NOT_FOUND,
  405: grpc.status.UNIMPLEMENTED,
  413: grpc.status.RESOURCE_EXHAUSTED,
  503: grpc.status.UNAVAILABLE,
};

const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

let service: grpc.ServiceDefinition | undefined;

function inferenceService(): grpc.ServiceDefinition {
  if (!service) {
    const def = protoLoader.loadSync(join(packageRoot(), PROTO_FILE), { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { inference: { GRPCInferenceService: { service: grpc.ServiceDefinition } } };
    service = pkg.inference.GRPCInferenceService.service;
  }
  return service;
}

export class GrpcInference {
  readonly server: grpc.Server;

  constructor(private readonly d: GrpcDeps) {
    this.server = new grpc.Server({ "grpc.max_receive_message_length": d.maxBody });
    this.server.addService(inferenceService(), {
      ServerLive: this.unary("server_live", async () => ({ live: !d.requests.draining })),
      ServerReady: this.unary("server_ready", async () => ({ ready: serverReady(d.registry, d.requests.draining) })),
      ServerMetadata: this.unary("server_metadata", async () => serverMetadata()),
      ModelReady: this.unary("model_ready", async (r: { name: string; version: string }, at) => {
        const got = this.find(r.name, r.version, at, true);
        return { ready: got !== undefined };
      }),
      ModelMetadata: this.unary("model_metadata", async (r: { name: string; version: string }, at) =>
        modelMetadata(d.registry, this.find(r.name, r.version, at)!),
      ),
      ModelInfer: this.unary("model_infer", (r: InferRequest, at) => this.infer(r, at)),
    });
  }

  /** Binds host:port (0: any free port) and starts; resolves with the port. */
  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (e, bound) => (e ? reject(e) : resolve(bound)));
    });
  }

  /** Finishes the calls under way (at most timeoutMs), then stops. */
  close(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, timeoutMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** A unary method: the answer, or the HttpError's status as a gRPC status; metrics either way. */
  private unary<Req, Res>(name: string, answer: (req: Req, at: { model: string; version: string }) => Promise<Res>) {
    return (call: grpc.ServerUnaryCall<Req, Res>, callback: Callback<Res>) => {
      const t0 = performance.now();
      const at = { model: "", version: "" };
      const done = (status: number) => this.d.metrics.record(at.model, at.version, `grpc_${name}`, status, (performance.now() - t0) / 1000);
      answer(call.request, at).then(
        (res) => {
          callback(null, res);
          done(200);
        },
        (e: unknown) => {
          const status = e instanceof HttpError ? e.status : 500;
          if (!(e instanceof HttpError)) this.d.log(`modelc serve: internal error in gRPC ${name}: ${(e as Error)?.stack ?? e}`);
          callback({
            code: CODE[status] ?? grpc.status.INTERNAL,
            details: e instanceof HttpError ? e.message : `internal error: ${(e as Error)?.message ?? e}`,
          });
          done(status);
        },
      );
    };
  }

  /** The loaded version (empty version: the default one), or throws; `notLoaded`: undefined for a known version that is not loaded. */
  private find(name: string, version: string, at: { model: string; version: string }, notLoaded = false): LoadedVersion | undefined {
    const { registry } = this.d;
    if (!registry.has(name)) throw new HttpError(404, `unknown model ${JSON.stringify(name)}; known models: ${registry.names().join(", ") || "(none)"}`);
    at.model = name;
    const got = registry.get(name, version === "" ? undefined : version);
    if (got.ok) {
      at.version = got.model.version;
      return got.model;
    }
    if (notLoaded && got.status === 503) return undefined;
    throw new HttpError(got.status, got.error);
  }

  private async infer(r: InferRequest, at: { model: string; version: string }) {
    const m = this.find(r.model_name, r.model_version, at)!;
    const raw = r.raw_input_contents.length > 0;
    if (raw && r.raw_input_contents.length !== r.inputs.length)
      throw new HttpError(400, `raw_input_contents has ${r.raw_input_contents.length} entries for ${r.inputs.length} inputs`);
    let rows: { X: Float64Array; n: number; columns?: Record<string, unknown[]> };
    if (takesStrings(m))
      rows = {
        X: new Float64Array(0),
        ...columnBatch(
          m,
          r.inputs.map((t, i) => decodeColumn(m, t, raw ? r.raw_input_contents[i]! : undefined)),
        ),
      };
    else {
      const input = r.inputs[0];
      const n = checkInput(m, r.inputs.length, input?.datatype, input?.shape ?? []);
      const nF = m.entry.nFeatures;
      const fp32 = input!.datatype === "FP32";
      let X: Float64Array;
      if (raw) {
        if (input!.contents && hasValues(input!.contents)) throw new HttpError(400, "input has both contents and raw_input_contents");
        X = fromRaw(r.raw_input_contents[0]!, n * nF, fp32);
      } else {
        const values = (fp32 ? input!.contents?.fp32_contents : input!.contents?.fp64_contents) ?? [];
        if (values.length !== n * nF)
          throw new HttpError(400, `input ${fp32 ? "fp32_contents" : "fp64_contents"} has ${values.length} values; its shape [${n}, ${nF}] needs ${n * nF}`);
        X = Float64Array.from(values);
      }
      rows = { X, n };
    }
    const outputs = selectOutputs(
      m,
      r.outputs.map((o) => o.name),
    );
    const tensors = await runInfer(this.d.batcher, this.d.metrics, m, rows, outputs);
    return {
      model_name: m.name,
      model_version: m.version,
      id: r.id,
      outputs: tensors.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, ...(raw ? {} : { contents: contents(t) }) })),
      raw_output_contents: raw ? tensors.map(rawBytes) : [],
    };
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A table model's input tensor (one column) as its values: BYTES from bytes_contents or raw (each element a 4-byte
 * little-endian length and its bytes), UTF-8; FP64/FP32 from fp64_contents/fp32_contents or raw little-endian.
 */
function decodeColumn(m: LoadedVersion, t: InferRequest["inputs"][number], raw: Buffer | undefined): DecodedTensor {
  const name = JSON.stringify(t.name);
  checkColumnDatatype(m, t.name, t.datatype);
  const n = rowsOfShape(t.name, t.shape);
  const text = (b: Uint8Array, i: number): string => {
    try {
      return UTF8.decode(b);
    } catch {
      throw new HttpError(400, `input ${name} element ${i}: not UTF-8`);
    }
  };
  let values: unknown[];
  if (raw) {
    if (t.contents && hasValues(t.contents)) throw new HttpError(400, `input ${name} has both contents and raw_input_contents`);
    if (t.datatype === "BYTES") {
      values = [];
      let at = 0;
      while (at < raw.length) {
        if (at + 4 > raw.length) throw new HttpError(400, `input ${name}: raw BYTES end inside an element's 4-byte length`);
        const len = raw.readUInt32LE(at);
        if (at + 4 + len > raw.length) throw new HttpError(400, `input ${name}: raw BYTES element ${values.length} is ${len} bytes, past the end`);
        values.push(text(raw.subarray(at + 4, at + 4 + len), values.length));
        at += 4 + len;
      }
    } else {
      const fp32 = t.datatype === "FP32";
      const size = fp32 ? 4 : 8;
      if (raw.length % size !== 0) throw new HttpError(400, `input ${name}: raw ${t.datatype} data of ${raw.length} bytes is not whole values`);
      values = Array.from(fromRaw(raw, raw.length / size, fp32));
    }
  } else if (t.datatype === "BYTES") values = (t.contents?.bytes_contents ?? []).map((b, i) => text(b, i));
  else values = (t.datatype === "FP32" ? t.contents?.fp32_contents : t.contents?.fp64_contents) ?? [];
  if (values.length !== n) throw new HttpError(400, `input ${name} has ${values.length} values; its shape ${JSON.stringify(t.shape)} needs ${n}`);
  return { name: t.name, datatype: t.datatype, shape: t.shape, values };
}

function hasValues(c: TensorContents): boolean {
  return Object.values(c).some((v) => Array.isArray(v) && v.length > 0);
}

/** Little-endian FP64 or FP32 elements → float64 values. */
function fromRaw(buf: Buffer, count: number, fp32: boolean): Float64Array {
  const size = fp32 ? 4 : 8;
  if (buf.length !== count * size)
    throw new HttpError(400, `raw input has ${buf.length} bytes; ${count} ${fp32 ? "FP32" : "FP64"} values take ${count * size}`);
  const X = new Float64Array(count);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (fp32) for (let i = 0; i < count; i++) X[i] = dv.getFloat32(i * 4, true);
  else for (let i = 0; i < count; i++) X[i] = dv.getFloat64(i * 8, true);
  return X;
}

function rawBytes(t: OutputTensor): Buffer {
  if (Array.isArray(t.data)) {
    const parts: Buffer[] = [];
    for (const s of t.data) {
      const b = Buffer.from(s, "utf8");
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      parts.push(len, b);
    }
    return Buffer.concat(parts);
  }
  const v = t.data;
  if (LITTLE_ENDIAN) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const b = Buffer.alloc(v.length * 8);
  for (let i = 0; i < v.length; i++) b.writeDoubleLE(v[i]!, i * 8);
  return b;
}

function contents(t: OutputTensor): TensorContents {
  return Array.isArray(t.data) ? { bytes_contents: t.data.map((s) => Buffer.from(s, "utf8")) } : { fp64_contents: Array.from(t.data) };
}
