// `modelc serve` as a process: two cluster workers on one loopback port, --pin, /metrics merged
// across workers, and SIGTERM finishing a request in flight before exiting 0.

import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundle } from "../../src/bundle/bundle.ts";
import { FIXTURES, ROOT, buildPrivateDist, runCli } from "../bundle/support.ts";

let tmp = "";
let cli = "";
let proc: ChildProcess | undefined;
let base = "";
let stderr = "";

function post(path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // a new connection per request (agent: false), so the workers take turns
    const req = request(base + path, { method: "POST", agent: false, headers: { "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "modelc-serve-cli-"));
  mkdirSync(join(tmp, "models", "m"), { recursive: true });
  copyFileSync(join(FIXTURES, "xgb3-dart-binary", "model.json"), join(tmp, "models", "m", "1.json"));
  copyFileSync(join(FIXTURES, "xgb3-count-poisson", "model.json"), join(tmp, "models", "m", "2.json"));
  await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
  cli = await buildPrivateDist("serve");
  proc = spawn(process.execPath, [cli, "serve", join(tmp, "out"), "--port", "0", "--host", "127.0.0.1", "--workers", "2", "--pin", "m@1"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  proc.stderr!.on("data", (c) => (stderr += c));
  const end = Date.now() + 20_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(stderr)) {
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`the server did not start:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
  // every worker has loaded the bundle (each logs its loads)
  while ((stderr.match(/loaded m version 2/g) ?? []).length < 2) {
    if (Date.now() > end) throw new Error(`workers did not load:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill("SIGKILL");
    await new Promise((r) => proc!.once("exit", r));
  }
  for (const d of [tmp, cli && dirname(cli)]) if (d) rmSync(d, { recursive: true, force: true });
});

describe("modelc serve (CLI, 2 workers)", () => {
  it("rejects a folder that is not a bundle, with exit code 2", () => {
    const r = runCli(cli, ["serve", tmp, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a modelc bundle/);
  });

  it("stops with an error, instead of restarting workers forever, when the port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const p = spawn(process.execPath, [cli, "serve", join(tmp, "out"), "--port", port, "--workers", "2"], {
          cwd: ROOT,
          stdio: ["ignore", "ignore", "pipe"],
        });
        let err = "";
        p.stderr!.on("data", (c) => (err += c));
        const kill = setTimeout(() => p.kill("SIGKILL"), 20_000);
        p.on("exit", (code) => {
          clearTimeout(kill);
          resolve({ code, err });
        });
      });
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBe(null);
      expect(r.err).toMatch(/EADDRINUSE/);
      expect(r.err).toMatch(/before listening; stopping/);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it("serves the pinned version by default", async () => {
    const list = JSON.parse(await (await fetch(base + "/v1/models")).text());
    expect(list.models.find((x: { name: string }) => x.name === "m").default_version).toBe("1");
    expect((await post("/v1/models/m:predict", JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6]] }))).status).toBe(200);
  });

  it("merges every worker's metrics in /metrics", async () => {
    const before = await fetch(base + "/metrics").then((r) => r.text());
    const count = (t: string) => Number(/^modelc_requests_total\{model="m",version="2",endpoint="predict",code="200"\} (\d+)$/m.exec(t)?.[1] ?? 0);
    const n = 20;
    for (let i = 0; i < n; i++) expect((await post("/v1/models/m/versions/2:predict", JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6]] }))).status).toBe(200);
    const after = await fetch(base + "/metrics").then((r) => r.text());
    expect(count(after) - count(before)).toBe(n);
    // Node's default metrics under their standard names (stock dashboards), modelc's own as modelc_*
    expect(after).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(after).not.toMatch(/^modelc_process_/m);
  });

  it("every worker swaps in a rebuilt chunk under running load, failing no request", async () => {
    const body = JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6]], output: "raw" });
    let stop = false;
    const statuses: number[] = [];
    let errors = 0;
    const loop = async () => {
      while (!stop) {
        try {
          statuses.push((await post("/v1/models/m/versions/2:predict", body)).status);
        } catch {
          errors++;
        }
      }
    };
    const loops = Array.from({ length: 6 }, loop);
    try {
      copyFileSync(join(FIXTURES, "xgb3-multi-softprob", "model.json"), join(tmp, "models", "m", "2.json"));
      await bundle([join(tmp, "models")], { out: join(tmp, "out"), jobs: 1 });
      const end = Date.now() + 20_000;
      while ((stderr.match(/reloaded m version 2/g) ?? []).length < 2) {
        if (Date.now() > end) throw new Error(`workers did not reload:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    expect(errors).toBe(0);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // the new chunk answers on every worker: a softprob model's raw output is a vector
    for (let i = 0; i < 6; i++) expect(JSON.parse((await post("/v1/models/m/versions/2:predict", body)).text).predictions[0]).toHaveLength(5);
  });

  it("on SIGTERM finishes the request in flight, then exits 0", async () => {
    const body = JSON.stringify({ instances: [[1, 2, 3, 4, 5, 6]] });
    const exited = new Promise<number | null>((r) => proc!.once("exit", (code) => r(code)));
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(base + "/v1/models/m:predict", { method: "POST", agent: false, headers: { "content-length": Buffer.byteLength(body) } }, (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, text }));
      });
      req.on("error", reject);
      req.write(body.slice(0, 5));
      setTimeout(() => {
        proc!.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 200);
    });
    const r = await answer;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).predictions).toHaveLength(1);
    expect(await exited).toBe(0);
  });
});
