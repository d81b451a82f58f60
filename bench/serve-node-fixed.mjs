// Node's own ceiling for bench/serve.mjs: node:http (node:cluster, one worker per core unless
// --workers N) answering every request with a fixed JSON body after reading the request body.
// Prints "listening on http://127.0.0.1:PORT" like `modelc serve`.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";

const args = process.argv.slice(2);
const workers = Number(args.includes("--workers") ? args[args.indexOf("--workers") + 1] : availableParallelism());
const body = Buffer.from('{"predictions":[1]}');
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork().once("listening", (a) => i === 0 && console.log(`listening on http://127.0.0.1:${a.port}`));
  process.once("SIGTERM", () => {
    for (const w of Object.values(cluster.workers)) w.kill("SIGTERM");
  });
} else {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body));
  });
  server.listen(0, "127.0.0.1", () => cluster.isPrimary && console.log(`listening on http://127.0.0.1:${server.address().port}`));
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
}
