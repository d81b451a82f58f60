// Reads the query of a `model.json?modelc&target=wasm&style=table` import: which model, which target and style.

import { CompileError } from "../errors.ts";

export type PluginTarget = "js" | "wasm";
export type PluginStyle = "ifelse" | "table" | "auto";

export interface ModelRequest {
  /** the model file (as written in the id, without the query) */
  file: string;
  target: PluginTarget;
  style: PluginStyle;
}

const TARGETS: readonly PluginTarget[] = ["js", "wasm"];
const STYLES: readonly PluginStyle[] = ["ifelse", "table", "auto"];

/** The id's query when it asks for modelc (`?modelc` or `&modelc`), else null. */
export function modelcQuery(id: string): string | null {
  const q = id.indexOf("?");
  if (q < 0) return null;
  const query = id.slice(q + 1);
  return query.split("&").some((p) => p === "modelc" || p.startsWith("modelc=")) ? query : null;
}

/** Parses `modelc&target=…&style=…`; an unknown option or value is a CompileError naming it. */
export function parseModelQuery(file: string, query: string, defaults: { target: PluginTarget; style: PluginStyle }): ModelRequest {
  const req: ModelRequest = { file, ...defaults };
  for (const part of query.split("&")) {
    if (part === "" || part === "modelc" || part === "modelc=") continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeURIComponent(part.slice(eq + 1));
    if (key === "target") {
      if (!TARGETS.includes(value as PluginTarget))
        throw usage(file, `unknown target ${JSON.stringify(value)} in the import query`, `?modelc&target=${TARGETS.join("|")}`);
      req.target = value as PluginTarget;
    } else if (key === "style") {
      if (!STYLES.includes(value as PluginStyle))
        throw usage(file, `unknown style ${JSON.stringify(value)} in the import query`, `?modelc&style=${STYLES.join("|")}`);
      req.style = value as PluginStyle;
    } else {
      throw usage(file, `unknown import query option ${JSON.stringify(key)}`, "options: target, style");
    }
  }
  return req;
}

function usage(file: string, message: string, hint: string): CompileError {
  return new CompileError("E_USAGE", message, { file }, hint);
}
