// A small HTTP prediction service over a `modelc bundle` folder: every model of the bundle is
// served, and each model's chunk is imported on its first request (index.js's loadModel).
//
//   node examples/service/server.mjs <bundle folder> [--port 8080] [--host 127.0.0.1]
//
//   GET  /models                 names, tasks, features, and whether each is loaded yet
//   GET  /models/<name>          the model's meta (loads it)
//   POST /models/<name>/predict  {"rows": [[...], ...]} or {"row": [...]}; a row may also be an
//                                object keyed by feature name. null means missing.
//                                → {"predict": [...], "proba": [[...]], "raw": [...]}
//   POST /admin/reload           after a rebuild: re-read the bundle, reload models already in use
//                                (also on SIGHUP)
//
// Numbers go out as JSON, which prints doubles exactly (shortest round trip) but has no NaN,
// ±Infinity or -0: NaN and ±Infinity become null, -0 becomes 0.

import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const MAX_BODY = 8 << 20;

class HttpError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

/** The service for one bundle folder: `server` (not listening yet) and `reload()`. */
export async function createPredictionService(bundleDir) {
  const dir = resolve(bundleDir);
  const index = await import(pathToFileURL(join(dir, "index.js")).href);
  const loaded = new Set();
  let manifest = await readManifest(dir);

  const model = async (name) => {
    try {
      const m = await index.loadModel(name);
      loaded.add(name);
      return m;
    } catch (e) {
      if (e.code === "MODELC_UNKNOWN_MODEL") throw new HttpError(404, e.message, { known: index.models });
      throw e;
    }
  };

  const reload = async () => {
    manifest = await readManifest(dir);
    const reloaded = [];
    for (const name of [...loaded]) {
      try {
        await index.loadModel(name, { reload: true });
        reloaded.push(name);
      } catch (e) {
        if (e.code !== "MODELC_UNKNOWN_MODEL") throw e;
        loaded.delete(name); // removed from the bundle
      }
    }
    return { models: [...index.models], reloaded };
  };

  const routes = async (req, url) => {
    const path = decodeURIComponent(url.pathname);
    if (req.method === "GET" && path === "/models") {
      return {
        models: manifest.models.map((e) => ({
          name: e.name,
          task: e.task,
          nFeatures: e.nFeatures,
          features: e.features,
          classes: e.classes,
          outputs: e.meta.outputs,
          loaded: loaded.has(e.name),
        })),
      };
    }
    if (req.method === "POST" && path === "/admin/reload") return reload();
    const predict = /^\/models\/(.+)\/predict$/.exec(path);
    if (predict) {
      if (req.method !== "POST") throw new HttpError(405, "use POST");
      const m = await model(predict[1]);
      return predictRows(m, await readJson(req));
    }
    const meta = /^\/models\/(.+)$/.exec(path);
    if (meta && req.method === "GET") return (await model(meta[1])).meta;
    throw new HttpError(404, `no route ${req.method} ${path}`);
  };

  const server = createServer(async (req, res) => {
    let status = 200;
    let body;
    try {
      body = await routes(req, new URL(req.url ?? "/", "http://localhost"));
    } catch (e) {
      status = e instanceof HttpError ? e.status : 500;
      body = { error: e instanceof Error ? e.message : String(e), ...(e instanceof HttpError ? e.extra : {}) };
    }
    const text = JSON.stringify(body, (_, v) => (v instanceof Float64Array ? Array.from(v) : v));
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(text);
  });
  return { server, reload };
}

async function readManifest(dir) {
  return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
}

async function readJson(req) {
  let size = 0;
  const parts = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, `request body over ${MAX_BODY} bytes`);
    parts.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString("utf8"));
  } catch {
    throw new HttpError(400, "the request body is not JSON");
  }
}

/** Rows from the request (arrays, or objects keyed by feature name) → the model's outputs. */
function predictRows(m, body) {
  const rows = Array.isArray(body?.rows) ? body.rows : body?.row !== undefined ? [body.row] : undefined;
  if (!rows) throw new HttpError(400, 'expected {"rows": [[...], ...]} or {"row": [...]}');
  const names = m.meta.featureNames;
  const toArray = (row, i) => {
    if (Array.isArray(row)) return row;
    if (row === null || typeof row !== "object") throw new HttpError(400, `row ${i}: expected an array or an object`);
    if (!names) throw new HttpError(400, `row ${i}: this model has no feature names; send an array of ${m.meta.nFeatures} numbers`);
    for (const k of Object.keys(row)) if (!names.includes(k)) throw new HttpError(400, `row ${i}: unknown feature ${JSON.stringify(k)}`);
    return names.map((n) => row[n] ?? null);
  };
  const out = { predict: [], raw: [] };
  if (m.predictProba) out.proba = [];
  rows.forEach((row, i) => {
    try {
      const x = toArray(row, i);
      out.predict.push(m.predict(x));
      out.raw.push(m.predictRaw(x));
      if (out.proba) out.proba.push(m.predictProba(x));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, `row ${i}: ${e.message}`);
    }
  });
  return body.row !== undefined && !Array.isArray(body.rows) ? { predict: out.predict[0], raw: out.raw[0], proba: out.proba?.[0] } : out;
}

// node examples/service/server.mjs <bundle folder> [--port N] [--host H]
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
  const dir = args.find((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  if (!dir) {
    process.stderr.write("usage: node examples/service/server.mjs <bundle folder> [--port 8080] [--host 127.0.0.1]\n");
    process.exit(2);
  }
  const { server, reload } = await createPredictionService(dir);
  process.on("SIGHUP", () => reload().then((r) => process.stderr.write(`reloaded: ${r.reloaded.join(", ") || "(none loaded)"}\n`)));
  server.listen(Number(opt("--port", "8080")), opt("--host", "127.0.0.1"), () => {
    const a = server.address();
    process.stderr.write(`serving ${dir} on http://${a.address}:${a.port}\n`);
  });
}
