// The TypeScript and JavaScript targets: one ES module per model, .ts as printed, .js/.mjs through esbuild.

import { generatedBanner } from "../banner.ts";
import { emitJavaScript, emitJavaScriptPieces, emitTypeScript } from "./emit.ts";
import { moduleDeclarations } from "../../src/api/declarations.ts";
import { declarationPath, type Target } from "../target.ts";

export const tsTarget: Target = {
  name: "ts",
  bundles: false,
  description: "TypeScript module",
  extensions: [".ts"],
  outputs: "the module",
  emit: async (ir, style, ctx) => [{ path: ctx.out, contents: emitTypeScript(ir, style, ctx) }],
};

export const jsTarget: Target = {
  name: "js",
  bundles: true,
  description: "ES module (JavaScript)",
  extensions: [".js", ".mjs", ".cjs"],
  outputs: "the module and its declarations (.d.ts, .d.mts or .d.cts)",
  emit: async (ir, style, ctx) => {
    if (ctx.chunk) {
      const js = await emitJavaScript(ir, style, { ...ctx, minify: true });
      return [{ path: ctx.out, contents: `${generatedBanner({ model: ctx.chunk.model, style })}\n${js}` }];
    }
    const format = /\.mjs$/i.test(ctx.out) ? "esm" : /\.cjs$/i.test(ctx.out) ? "cjs" : (ctx.moduleFormat ?? "esm");
    return [
      { path: ctx.out, contents: await emitJavaScriptPieces(ir, style, { ...ctx, moduleFormat: format }) },
      { path: declarationPath(ctx.out), contents: moduleDeclarations(ctx.declared, { style }) },
    ];
  },
};
