// The plugin (built package) in watch mode: Rollup's rollup.watch, esbuild's context().watch() and webpack's
// compiler.watch. An app imports three models; replacing one model file with another model of the same shape
// rebuilds with that model compiled and nothing else (onReport); a broken model file fails the rebuild with modelc's
// one-line message and leaves the previous output as it was (Rollup, webpack; esbuild deletes its outputs when a
// watch-mode build fails, its design since 0.25); the fixed file builds again.

import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BuildReport } from "../../src/plugin/modelcUnplugin.ts";
import { HERE, ROOT, buildPackage, ensureBundlers } from "./support.ts";

const WATCHED = ["rollup", "esbuild", "webpack"] as const;
type Watched = (typeof WATCHED)[number];
const MODELS = { a: "xgb3-dart-binary", b: "xgb3-reg-tweedie", c: "xgb3-multi-softmax" } as const;
/** a.json's replacement: another binary classifier of 6 features */
const REPLACEMENT = "xgb3-base-score";

interface BuildEvent {
  ok: boolean;
  /** the build's report (onReport), null when the plugin gave none */
  report: BuildReport | null;
  error: string;
}

/** Build events in order, awaited one at a time. */
class Events {
  private queue: BuildEvent[] = [];
  private waiting: ((e: BuildEvent) => void) | undefined;
  report: BuildReport | null = null;
  push(ok: boolean, error = ""): void {
    const e = { ok, report: this.report, error };
    this.report = null;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w(e);
    } else this.queue.push(e);
  }
  next(what: string, ms = 20_000): Promise<BuildEvent> {
    const e = this.queue.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no build event (${what}) within ${ms} ms`)), ms);
      this.waiting = (x) => {
        clearTimeout(t);
        resolve(x);
      };
    });
  }
  pending(): number {
    return this.queue.length;
  }
}

let tmp = "";
const dep = (p: string) => import(pathToFileURL(join(HERE, "node_modules", p)).href);
const pluginOf = async (b: Watched) => (await import(pathToFileURL(join(ROOT, "dist", `${b}.js`)).href)).default as (o: object) => any;

beforeAll(() => {
  ensureBundlers();
  buildPackage();
  tmp = mkdtempSync(join(tmpdir(), "modelc-watch-"));
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Starts `bundler` watching a fresh app; returns its events and how to stop it. */
async function startWatch(bundler: Watched, app: string, out: string): Promise<{ events: Events; stop: () => Promise<void> }> {
  const events = new Events();
  const plugin = (await pluginOf(bundler))({ cacheDir: join(app, "cache"), onReport: (r: BuildReport) => (events.report = r) });
  const entry = join(app, "main.js");
  if (bundler === "rollup") {
    const { watch } = await dep("rollup/dist/es/rollup.js");
    const w = watch({ input: entry, plugins: [plugin], onwarn: () => {}, output: { dir: out, format: "es" }, watch: { buildDelay: 50, clearScreen: false } });
    w.on("event", (e: any) => {
      if (e.code === "BUNDLE_END") {
        e.result.close();
        events.push(true);
      } else if (e.code === "ERROR") {
        e.result?.close();
        events.push(false, e.error.message);
      }
    });
    return { events, stop: () => w.close() };
  }
  if (bundler === "esbuild") {
    const { context } = await import("esbuild");
    const ctx = await context({
      entryPoints: { main: entry },
      bundle: true,
      splitting: true,
      format: "esm",
      outdir: out,
      logLevel: "silent",
      // after the plugin's own onEnd (its report): esbuild runs them in order
      plugins: [
        plugin,
        { name: "events", setup: (b) => b.onEnd((r) => events.push(r.errors.length === 0, r.errors.map((x) => x.text).join("\n"))) } satisfies Plugin,
      ],
    });
    await ctx.watch();
    return { events, stop: () => ctx.dispose() };
  }
  const webpack = (await dep("webpack/lib/index.js")).default;
  const compiler = webpack({
    mode: "production",
    target: "web",
    entry,
    output: { path: out, filename: "main.js" },
    plugins: [plugin],
    infrastructureLogging: { level: "none" },
  });
  const watching = compiler.watch({ aggregateTimeout: 50 }, (err: Error | null, stats: any) => {
    if (err) return events.push(false, err.message);
    const errors = stats.hasErrors() ? stats.toString({ all: false, errors: true, errorDetails: false, errorStack: false }) : "";
    events.push(!stats.hasErrors(), errors);
  });
  return { events, stop: () => new Promise<void>((r) => watching.close(() => compiler.close(() => r()))) };
}

/** Replaces a file in one step (a rename), so no watcher sees it half written. */
function replace(file: string, text: string | Buffer): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Every output file's text, by name. */
function snapshot(out: string): Record<string, string> {
  const files = readdirSync(out, { recursive: true, encoding: "utf8" }).sort();
  return Object.fromEntries(files.filter((f) => f.endsWith(".js")).map((f) => [f, readFileSync(join(out, f), "utf8")]));
}

for (const bundler of WATCHED) {
  it(`${bundler} watch: a replaced model recompiles alone; a broken one fails with modelc's line${bundler === "esbuild" ? "" : " and keeps the output"}; a fixed one builds`, async () => {
    const app = join(tmp, bundler);
    const out = join(app, "out");
    mkdirSync(join(app, "models"), { recursive: true });
    for (const [name, fixture] of Object.entries(MODELS)) copyFileSync(join(ROOT, "fixtures", fixture, "model.json"), join(app, "models", `${name}.json`));
    writeFileSync(
      join(app, "main.js"),
      Object.keys(MODELS)
        .map((m) => `export const ${m} = () => import("./models/${m}.json?modelc");\n`)
        .join(""),
    );
    const a = join(app, "models", "a.json");
    const { events, stop } = await startWatch(bundler, app, out);
    try {
      const first = await events.next("first build");
      expect(first.ok, first.error).toBe(true);
      expect(first.report).toMatchObject({ compiled: 3, cached: 0 });
      const before = snapshot(out);

      // a model of the same shape in a.json: only it is compiled
      replace(a, readFileSync(join(ROOT, "fixtures", REPLACEMENT, "model.json")));
      const changed = await events.next("after replacing a.json");
      expect(changed.ok, changed.error).toBe(true);
      expect(changed.report!.compiled).toBe(1);
      expect(changed.report!.models.filter((m) => m.source === "compiled").map((m) => m.file)).toEqual([a]);
      // the others come from the plugin's memory (every bundler loads them again)
      expect(changed.report!.cached).toBe(2);
      const after = snapshot(out);
      expect(after).not.toEqual(before);

      // a broken a.json: modelc's one line, no stack, and the output stays as it was
      const doc = JSON.parse(readFileSync(a, "utf8"));
      delete doc.learner.learner_model_param.base_score;
      replace(a, JSON.stringify(doc));
      const broken = await events.next("after breaking a.json");
      expect(broken.ok).toBe(false);
      expect(broken.error).toContain(`modelc: ${a}: $.learner.learner_model_param.base_score: expected string, got nothing (missing field)`);
      expect(broken.error).not.toMatch(/^\s+at /m);
      // esbuild (since 0.25) deletes its outputs when a watch-mode build fails, by design (evanw/esbuild#3643)
      expect(snapshot(out)).toEqual(bundler === "esbuild" ? {} : after);

      // fixed (the original model again): builds, from the cache
      replace(a, readFileSync(join(ROOT, "fixtures", MODELS.a, "model.json")));
      const fixed = await events.next("after fixing a.json");
      expect(fixed.ok, fixed.error).toBe(true);
      expect(fixed.report!.compiled).toBe(0);
      // the first build's files again (Rollup leaves the replaced model's chunk beside them)
      expect(snapshot(out)).toMatchObject(before);
      // one build per change
      await new Promise((r) => setTimeout(r, 300));
      expect(events.pending()).toBe(0);
    } finally {
      await stop();
    }
  }, 60_000);
}
