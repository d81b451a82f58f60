// HTTP timeouts and limits of `modelc serve` on raw sockets: a client too slow with its headers is cut
// within the timeout plus the check interval, and what Node's parser refuses (a bad request line,
// headers too large) is answered with a JSON body; connections over maxConnections are closed.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { DEFAULT_HTTP_LIMITS } from "../../src/serve/httpLimits.ts";
import { createServeApp, type ServeApp } from "../../src/serve/server.ts";
import { FIXTURES } from "../bundle/support.ts";

let tmp = "";
let app: ServeApp;
let port = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-http-limits-"));
  mkdirSync(join(tmp, "models"));
  copyFileSync(join(FIXTURES, "xgb3-binary-logistic", "model.json"), join(tmp, "models", "m.json"));
  await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
  app = await createServeApp({
    dir: join(tmp, "out"),
    watch: false,
    log: () => {},
    http: { headersTimeoutMs: 400, requestTimeoutMs: 800, checkIntervalMs: 100, maxConnections: 3, maxHeaderBytes: 2048 },
  });
  await new Promise<void>((r) => app.server.listen(0, "127.0.0.1", r));
  port = (app.server.address() as { port: number }).port;
}, 120_000);

afterAll(async () => {
  await app.close(500);
  rmSync(tmp, { recursive: true, force: true });
});

/** Opens a connection, writes `send`, and collects what the server answers until it closes. */
function exchange(send: string): { socket: Socket; done: Promise<{ text: string; ms: number }> } {
  const t0 = performance.now();
  const socket = connect(port, "127.0.0.1");
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (d: string) => (text += d));
  const done = new Promise<{ text: string; ms: number }>((r) => socket.on("close", () => r({ text, ms: performance.now() - t0 })));
  socket.on("error", () => {});
  socket.write(send);
  return { socket, done };
}

function jsonBody(text: string): { status: number; body: { error: string } } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  return { status, body: JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) };
}

describe("modelc serve: HTTP timeouts and limits", () => {
  it("has documented defaults: headers 10 s, checked every second", () => {
    expect(DEFAULT_HTTP_LIMITS.headersTimeoutMs).toBe(10_000);
    expect(DEFAULT_HTTP_LIMITS.checkIntervalMs).toBeLessThanOrEqual(1_000);
    expect(app.server.headersTimeout).toBe(400);
  });

  it("cuts a client that never finishes its headers within the timeout plus the check interval, with a JSON 408", async () => {
    const { done } = exchange("POST /v1/models/m:predict HTTP/1.1\r\nhost: x\r\n");
    const { text, ms } = await done;
    expect(ms).toBeLessThan(400 + 100 + 400);
    const r = jsonBody(text);
    expect(r.status).toBe(408);
    expect(r.body.error).toMatch(/not received within/);
  });

  it("answers a malformed request with a JSON 400, and headers too large with a JSON 431", async () => {
    const bad = jsonBody((await exchange("NOT HTTP AT ALL\r\n\r\n").done).text);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/bad request/);
    const big = jsonBody((await exchange(`GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(4096)}\r\n\r\n`).done).text);
    expect(big.status).toBe(431);
    expect(big.body.error).toMatch(/over 2048 bytes/);
  });

  it("closes connections over maxConnections as they arrive", async () => {
    const held = [0, 1, 2].map(() => exchange("GET /healthz HTTP/1.1\r\nhost: x\r\n"));
    await new Promise((r) => setTimeout(r, 100));
    const extra = exchange("GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
    const { text, ms } = await extra.done;
    expect(text).toBe("");
    expect(ms).toBeLessThan(300);
    for (const h of held) h.socket.destroy();
  });
});
