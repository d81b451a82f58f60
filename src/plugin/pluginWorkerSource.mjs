// Starts a plugin worker from the TypeScript sources (tests, `tsx`): registers tsx's loader in this thread,
// then runs pluginWorker.ts. The built package uses dist/pluginWorker.js instead.
import { register } from "tsx/esm/api";

register();
await import("./pluginWorker.ts");
