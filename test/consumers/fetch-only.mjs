// Runs driver.mjs with globalThis.process hidden, so wasm loaders read their .wasm with fetch(file: URL) (Deno, Bun)
// instead of process.getBuiltinModule("node:fs/promises").
globalThis.process = undefined;
await import("./driver.mjs");
