// Tokens of `mcpgw login`, per gateway, in $MCPGW_CONFIG_DIR, $XDG_CONFIG_HOME/mcpgw or
// ~/.config/mcpgw — credentials.json, mode 0600 in a 0700 directory. Machine secrets are kept
// only as references (${env:…}, ${file:…}), never as values.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { withFileLock, writeFileAtomic } from '../core/config/atomic-file.js';

export const storedCredentialSchema = z.object({
  kind: z.enum(['oidc', 'client-credentials']),
  issuer: z.string(),
  client_id: z.string(),
  /** The resource (audience) the tokens were requested for (RFC 8707). */
  resource: z.string(),
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  /** Epoch seconds; absent when the provider did not say. */
  expires_at: z.number().optional(),
  scope: z.string().optional(),
  /** client-credentials: how to find the secret again, e.g. ${env:CI_SECRET}. */
  client_secret_ref: z.string().optional(),
  obtained_at: z.string(),
});
const credentialsFileSchema = z.object({ gateways: z.record(storedCredentialSchema).default({}) });

export type StoredCredential = z.infer<typeof storedCredentialSchema>;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCPGW_CONFIG_DIR) return env.MCPGW_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mcpgw');
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

async function readAll(file: string): Promise<Record<string, StoredCredential>> {
  try {
    return credentialsFileSchema.parse(JSON.parse(await readFile(file, 'utf8'))).gateways;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is not a valid credentials file (${(err as Error).message}); delete it and log in again`);
  }
}

async function writeAll(file: string, gateways: Record<string, StoredCredential>): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify({ gateways }, null, 2)}\n`, 0o600);
  await chmod(file, 0o600); // an older file may have been created with a wider mode
}

export async function readCredential(gateway: string, file = credentialsFile()): Promise<StoredCredential | undefined> {
  return (await readAll(file))[gateway];
}

export async function saveCredential(gateway: string, credential: StoredCredential, file = credentialsFile()): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await withFileLock(file, async () => writeAll(file, { ...(await readAll(file)), [gateway]: credential }));
}

/** Remove the gateway's tokens; returns what was removed. */
export async function removeCredential(gateway: string, file = credentialsFile()): Promise<StoredCredential | undefined> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  return withFileLock(file, async () => {
    const all = await readAll(file);
    const removed = all[gateway];
    if (removed) {
      delete all[gateway];
      await writeAll(file, all);
    }
    return removed;
  });
}
