// Starts a bundle worker from the TypeScript sources (tests, `tsx`): registers tsx's loader in
// this thread, then runs worker.ts. The built CLI uses dist/bundleWorker.js instead.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
