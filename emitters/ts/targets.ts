// The TypeScript and JavaScript targets: one ES module per model, .ts as printed, .js/.mjs through esbuild.

import { generatedBanner } from "../banner.ts";
import { emitJavaScript, emitJavaScriptPieces, emitTypeScript } from "./emit.ts";
import type { Target } from "../target.ts";

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
  extensions: [".js", ".mjs"],
  outputs: "the module",
  emit: async (ir, style, ctx) => {
    if (ctx.chunk) {
      const js = await emitJavaScript(ir, style, { ...ctx, minify: true });
      return [{ path: ctx.out, contents: `${generatedBanner({ model: ctx.chunk.model, style })}\n${js}` }];
    }
    return [{ path: ctx.out, contents: await emitJavaScriptPieces(ir, style, ctx) }];
  },
};
