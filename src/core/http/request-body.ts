// Reading a request body with a size cap, for the daemons' own HTTP endpoints.
import type { IncomingMessage } from 'node:http';

/** The whole body, or undefined as soon as it grows past `maxBytes` (the rest is not read). */
export async function readBodyCapped(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
