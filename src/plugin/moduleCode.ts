// The code a bundler gets for a model import: the compiled module, its `.wasm` URL (wasm) replaced by an
// expression the plugin chose (an emitted asset's URL), and a default export holding meta and every function.

import { CompileError } from "../errors.ts";
import { WASM_PLACEHOLDER, type CompiledModel } from "./compileModel.ts";

const WASM_URL = new RegExp(String.raw`new URL\((["'\`])\./${WASM_PLACEHOLDER.replace(/\./g, "\\.")}\1\s*,\s*import\.meta\.url\s*\)`);

/** `wasmUrl`: a JavaScript expression giving the URL (a URL object or string) of the model's .wasm. */
export function moduleCode(model: CompiledModel, file: string, wasmUrl?: string): string {
  let code = model.code;
  if (model.wasm) {
    if (wasmUrl === undefined || !WASM_URL.test(code))
      throw new CompileError("E_UNSUPPORTED", "internal: the wasm loader does not name its .wasm as expected", { file });
    code = code.replace(WASM_URL, () => `new URL(${wasmUrl})`);
  }
  // the module's last `export{local as name,…}` lists its bindings; the default export is them as one object
  const m = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(code);
  if (!m) throw new CompileError("E_UNSUPPORTED", "internal: the compiled module does not end with its export list", { file });
  const fields = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [local, exported = local] = s.split(/\s+as\s+/);
      return `${exported}:${local}`;
    });
  return `${code.trimEnd()}\nexport default {${fields.join(",")}};\n`;
}
