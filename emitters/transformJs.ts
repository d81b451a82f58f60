// The one place modelc runs esbuild on generated code: TypeScript → JavaScript, and minifying loaders.

export interface TransformJsOptions {
  /** the input language */
  loader: "ts" | "js";
  /** the JavaScript version written: es2020 for model modules, es2022 where a loader needs top-level await */
  target: "es2020" | "es2022";
  minify?: boolean;
  /** default esm */
  format?: "esm" | "cjs";
}

/** A module (ES by default), comments dropped (the banner is added back by the caller where one is wanted). */
export async function transformJs(code: string, opts: TransformJsOptions): Promise<string> {
  // loaded on first use: commands that print no JavaScript start without it
  const { transform } = await import("esbuild");
  const r = await transform(code, {
    loader: opts.loader,
    format: opts.format ?? "esm",
    target: opts.target,
    minify: opts.minify ?? false,
    legalComments: "none",
  });
  return r.code;
}
