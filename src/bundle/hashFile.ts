// SHA-256 of a file, streamed so a model of any size is never held in memory.

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export async function hashFile(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

export function hashText(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}
