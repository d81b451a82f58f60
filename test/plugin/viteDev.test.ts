// The plugin (built package) in Vite's dev server: a replaced model file gives the new model on the next request
// (the file is watched and invalidates the module), a broken one gives modelc's one-line error, and restoring it
// serves a working module again.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HERE, ROOT, buildPackage, ensureBundlers } from "./support.ts";

interface DevServer {
  transformRequest(url: string): Promise<{ code: string } | null>;
  close(): Promise<void>;
}

let tmp = "";
let server: DevServer | undefined;
let model = "";
const reports: { compiled: number; cached: number }[] = [];

beforeAll(async () => {
  ensureBundlers();
  buildPackage();
  tmp = mkdtempSync(join(tmpdir(), "modelc-vite-dev-"));
  mkdirSync(join(tmp, "models"));
  model = join(tmp, "models", "m.json");
  copyFileSync(join(ROOT, "fixtures", "xgb3-binary-logistic", "model.json"), model);
  writeFileSync(join(tmp, "main.js"), 'export const load = () => import("./models/m.json?modelc");\n');
  const vite = (await import(pathToFileURL(join(HERE, "node_modules", "vite", "dist", "node", "index.js")).href)) as {
    createServer(config: object): Promise<DevServer & { listen(): Promise<unknown> }>;
  };
  const plugin = (await import(pathToFileURL(join(ROOT, "dist", "vite.js")).href)).default as (o: object) => object;
  const s = await vite.createServer({
    configFile: false,
    root: tmp,
    logLevel: "silent",
    plugins: [plugin({ cacheDir: join(tmp, "cache"), onReport: (r: { compiled: number; cached: number }) => reports.push(r) })],
    server: { port: 0, hmr: false },
  });
  server = s;
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const URL_OF = () => `\0modelc:js:auto:${model}.js`;

/** The module's `meta.task` as served now; an error's message instead. */
async function served(): Promise<string> {
  try {
    const r = await server!.transformRequest(URL_OF());
    return /task:"([^"]+)"/.exec(r?.code ?? "")?.[1] ?? `no task in ${r?.code.slice(0, 200)}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Polls until the served module (or error) satisfies `ok`: the watcher's invalidation arrives asynchronously. */
async function until(ok: (s: string) => boolean): Promise<string> {
  let last = "";
  for (let i = 0; i < 100; i++) {
    last = await served();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

it("a replaced model file is served as the new model; a broken one as modelc's one-line error; a fixed one works again", async () => {
  // the importer's import resolves to the plugin's module id
  const main = await server!.transformRequest("/main.js");
  expect(main?.code).toContain("__x00__modelc:js:auto:");
  expect(await served()).toBe("binary");

  copyFileSync(join(ROOT, "fixtures", "xgb3-multi-softprob", "model.json"), model);
  expect(await until((s) => s !== "binary")).toBe("multiclass");

  const doc = JSON.parse(readFileSync(model, "utf8"));
  delete doc.learner.learner_model_param.base_score;
  writeFileSync(model, JSON.stringify(doc));
  const err = await until((s) => s.startsWith("error"));
  expect(err).toContain(`modelc: ${model}: $.learner.learner_model_param.base_score: expected string, got nothing (missing field)`);
  expect(err).not.toMatch(/\n\s+at /);

  copyFileSync(join(ROOT, "fixtures", "xgb3-binary-logistic", "model.json"), model);
  expect(await until((s) => !s.startsWith("error"))).toBe("binary");
}, 120_000);
