// The WebAssembly targets: AssemblyScript source (`as`), and a .wasm with its ES-module loader (`wasm`).

import { generatedBanner } from "../banner.ts";
import { moduleDeclarations } from "../../src/api/declarations.ts";
import { baseName, declarationPath, replaceExtension, type Target } from "../target.ts";
import { transformJs } from "../transformJs.ts";
import { emitAssemblyScript, emitWasm } from "./index.ts";

export const asTarget: Target = {
  name: "as",
  bundles: false,
  description: "AssemblyScript source, for users who build the .wasm themselves",
  extensions: [],
  outputs: "the AssemblyScript source",
  emit: async (ir, style, ctx) => [{ path: ctx.out, contents: emitAssemblyScript(ir, style, ctx) }],
};

export const wasmTarget: Target = {
  name: "wasm",
  bundles: true,
  description: "WebAssembly (AssemblyScript -O3) and its ES-module loader",
  extensions: [".wasm"],
  outputs: "the .wasm, its loader (a .js of the same base name, .mjs in a CommonJS package) and the loader's declarations",
  emit: async (ir, style, ctx) => {
    const out = await emitWasm(ir, style, { ...ctx.wasm, ifelseLimits: ctx.ifelseLimits });
    // a loader has top-level await: an ES module wherever it lands
    const loaderPath = replaceExtension(ctx.out, ctx.moduleFormat === "cjs" ? ".mjs" : ".js");
    if (ctx.chunk) {
      // the loader finds the .wasm beside it and exports what a JavaScript chunk exports; a load failure
      // fails the import (es2022: it instantiates with a top-level await)
      const wasmFile = ctx.chunk.wasmFile(out.wasm);
      const js = await transformJs(out.loader(wasmFile, { chunk: true }), { loader: "js", target: "es2022", minify: true });
      const banner = generatedBanner({ model: ctx.chunk.model, what: `WebAssembly loader of ${wasmFile}`, style });
      return [
        { path: wasmFile, contents: out.wasm },
        { path: loaderPath, contents: `${banner}\n${js}` },
      ];
    }
    return [
      { path: ctx.out, contents: out.wasm },
      { path: loaderPath, contents: out.loader(baseName(ctx.out)) },
      {
        path: declarationPath(loaderPath),
        contents: moduleDeclarations(ctx.declared, { style, wasmLoader: true }),
      },
    ];
  },
};
