// The requests being answered, and the graceful close that lets them finish (up to a timeout).

import type { Server, ServerResponse } from "node:http";

export class InFlight {
  count = 0;
  /** set by drain(): health checks fail and answers close their connections */
  draining = false;
  private idle: (() => void) | undefined;

  /** one listener for every response */
  private readonly onClose = () => {
    this.count--;
    if (this.count === 0 && this.idle) this.idle();
  };

  track(res: ServerResponse): void {
    this.count++;
    res.on("close", this.onClose);
  }

  async drain(server: Server, timeoutMs: number, log: (line: string) => void): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((r) => server.close(() => r()));
    server.closeIdleConnections();
    const done = this.count === 0 ? Promise.resolve() : new Promise<void>((r) => (this.idle = r));
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => {
      t = setTimeout(() => {
        log(`modelc serve: ${this.count} requests still open after ${timeoutMs} ms; closing them`);
        server.closeAllConnections();
        r();
      }, timeoutMs);
    });
    await Promise.race([done, timeout]);
    // keep-alive sockets that finished their last response
    server.closeIdleConnections();
    await Promise.race([closed, timeout]);
    clearTimeout(t);
  }
}
