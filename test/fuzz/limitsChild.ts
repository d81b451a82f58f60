// Child process of the size-limit fuzz cases: `modelc <args…>` as the CLI runs it, then this process's
// peak resident memory on stdout ("maxRSS <KiB>"), read by test/fuzz/limits.test.ts.

import { main } from "../../src/cli/main.ts";

process.on("exit", () => process.stdout.write(`maxRSS ${process.resourceUsage().maxRSS}\n`));
process.exitCode = await main(process.argv.slice(2));
