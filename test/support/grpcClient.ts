// A gRPC client of modelc serve's inference service (src/serve/grpc/inference.proto) for tests: `call` promisifies
// one method; `close` ends the channel.

import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

export interface GrpcTestClient {
  call<T>(method: string, req: unknown): Promise<T>;
  close(): void;
}

export function grpcTestClient(port: number): GrpcTestClient {
  const proto = join(import.meta.dirname, "..", "..", "src", "serve", "grpc", "inference.proto");
  const def = protoLoader.loadSync(proto, { keepCase: true, longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as any;
  const client = new pkg.inference.GRPCInferenceService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call: <T>(method: string, req: unknown) =>
      new Promise<T>((resolve, reject) => client[method](req, (e: Error | null, r: T) => (e ? reject(e) : resolve(r)))),
    close: () => client.close(),
  };
}
