// Which checkout a Caddy belongs to: a random id kept in the state dir (`checkout-id`), carried
// as the `@id` of the config's root (`mcpgw-checkout-<id>`). apply refuses a Caddy whose config
// another checkout pushed — two checkouts on the default ports no longer replace each other.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../config/atomic-file.js';

export const OWNER_ID_PREFIX = 'mcpgw-checkout-';

const idFile = (stateDir: string) => join(stateDir, 'checkout-id');

/** This checkout's id, or undefined before anything was ever applied or started. */
export async function readCheckoutId(stateDir: string): Promise<string | undefined> {
  const text = await readFile(idFile(stateDir), 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

/** This checkout's id, made on first use. */
export async function checkoutId(stateDir: string): Promise<string> {
  const existing = await readCheckoutId(stateDir);
  if (existing) return existing;
  const id = randomUUID();
  await writeFileAtomic(idFile(stateDir), `${id}\n`);
  // Two commands racing on a new checkout: the file that won is the id.
  return (await readCheckoutId(stateDir)) ?? id;
}

/** The `@id` a config of this checkout carries at its root. */
export function ownerTag(id: string): string {
  return `${OWNER_ID_PREFIX}${id}`;
}
