// Per-user grants of upstream authorization servers (upstream_auth: delegated_oauth), one file
// per (issuer, subject, service) in <state_dir>/upstream-grants/, mode 0600 in a 0700 folder.
// Who and which service stay readable (so an admin can list and revoke without the key); the
// tokens are AES-256-GCM encrypted with a key derived (HKDF-SHA256) from a secret reference,
// and the file's identity is the GCM additional data, so a file moved to another user fails.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../config/atomic-file.js';
import { McpgwError } from '../errors.js';
import { resolveSecrets } from '../config/secrets.js';
import type { Settings } from '../config/settings.js';
import { stateLayout } from './layout.js';

/** The secret part of a grant: what the user's consent produced. */
export const grantSecretsSchema = z.object({
  refresh_token: z.string().optional(),
  access_token: z.string(),
  /** Epoch milliseconds; absent when the server did not say. */
  expires_at: z.number().optional(),
});
export type GrantSecrets = z.infer<typeof grantSecretsSchema>;

const grantFileSchema = z.object({
  version: z.literal(1),
  issuer: z.string(),
  subject: z.string(),
  service: z.string(),
  /** The upstream's authorization server (its issuer URL) and the client the grant belongs to. */
  authorization_server: z.string(),
  client_id: z.string(),
  scope: z.string().optional(),
  /** The RFC 8707 resource the tokens are for. */
  resource: z.string().optional(),
  connected_at: z.string(),
  /** base64url: 12-byte IV, ciphertext, 16-byte tag. */
  iv: z.string(),
  data: z.string(),
  tag: z.string(),
});
export type UpstreamGrantRecord = Omit<z.infer<typeof grantFileSchema>, 'iv' | 'data' | 'tag' | 'version'>;
export type UpstreamGrant = UpstreamGrantRecord & GrantSecrets;

export interface GrantOwner {
  issuer: string;
  subject: string;
  service: string;
}

export class UpstreamGrantError extends McpgwError {}

/** The 256-bit key from the configured secret (≥ 32 characters; HKDF does not make a guessable secret strong, so use random bytes). */
export function grantKey(secret: string): Buffer {
  if (secret.length < 32) throw new UpstreamGrantError('ERR_GRANT_KEY_WEAK', 'upstream_credentials.encryption_key is shorter than 32 characters', 'invalid-input', { hint: 'use 32 random bytes, e.g. `openssl rand -base64 32`' });
  return Buffer.from(hkdfSync('sha256', secret, 'mcpgw upstream grants', 'aes-256-gcm v1', 32));
}

const ownerText = (o: GrantOwner) => `${o.issuer}\u0000${o.subject}\u0000${o.service}`;

export class UpstreamGrantStore {
  constructor(
    readonly dir: string,
    /** From grantKey(); none: grants can be listed and removed but not read or written. */
    private readonly key?: Buffer,
  ) {}

  /** The file of one owner's grant (a hash: subjects and services may hold any character). */
  fileOf(owner: GrantOwner): string {
    return join(this.dir, `${createHash('sha256').update(ownerText(owner)).digest('hex').slice(0, 40)}.json`);
  }

  async save(grant: UpstreamGrant): Promise<void> {
    const key = this.requireKey();
    const { refresh_token, access_token, expires_at, ...record } = grant;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(ownerText(record)));
    const data = Buffer.concat([cipher.update(JSON.stringify(grantSecretsSchema.parse({ refresh_token, access_token, expires_at }))), cipher.final()]);
    const file = { version: 1 as const, ...record, iv: iv.toString('base64url'), data: data.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    await writeFileAtomic(this.fileOf(record), `${JSON.stringify(file, null, 2)}\n`, 0o600);
  }

  /** The grant with its tokens, or undefined when the owner has none; throws when it cannot be decrypted. */
  async load(owner: GrantOwner): Promise<UpstreamGrant | undefined> {
    const file = await this.readFile(this.fileOf(owner));
    if (!file) return undefined;
    const { iv, data, tag, version: _version, ...record } = file;
    const decipher = createDecipheriv('aes-256-gcm', this.requireKey(), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(ownerText(owner)));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    let secrets: GrantSecrets;
    try {
      secrets = grantSecretsSchema.parse(JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8')));
    } catch {
      throw new UpstreamGrantError('ERR_GRANT_UNREADABLE', `the stored grant of ${owner.subject} for ${owner.service} cannot be decrypted (another key, or a changed file)`, 'runtime', { hint: `connect again: mcpgw connect ${owner.service}` });
    }
    return { ...record, ...secrets };
  }

  /** When the owner's grant file last changed (ms), or undefined when there is none: one stat. */
  async changedAt(owner: GrantOwner): Promise<number | undefined> {
    try {
      return (await stat(this.fileOf(owner))).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Every grant's owner and metadata (never tokens): for `mcpgw connections` and the web UI. */
  async list(): Promise<UpstreamGrantRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: UpstreamGrantRecord[] = [];
    for (const name of names.sort()) {
      const file = await this.readFile(join(this.dir, name)).catch(() => undefined);
      if (file) {
        const { iv: _iv, data: _data, tag: _tag, version: _version, ...record } = file;
        out.push(record);
      }
    }
    return out;
  }

  /** Remove one grant; true when there was one. */
  async remove(owner: GrantOwner): Promise<boolean> {
    const file = this.fileOf(owner);
    const existed = (await this.changedAt(owner)) !== undefined;
    await rm(file, { force: true });
    return existed;
  }

  private async readFile(path: string): Promise<z.infer<typeof grantFileSchema> | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return grantFileSchema.parse(JSON.parse(text));
  }

  private requireKey(): Buffer {
    if (!this.key) throw new UpstreamGrantError('ERR_GRANT_KEY_MISSING', 'upstream_credentials.encryption_key is not set, so per-user upstream tokens cannot be kept', 'unavailable', { hint: 'set upstream_credentials.encryption_key: "${env:MCPGW_CREDENTIALS_KEY}" in mcpgw.yaml' });
    return this.key;
  }
}

/** The store of a checkout: its state dir, and the key from upstream_credentials.encryption_key (when set). */
export function upstreamGrantStore(settings: Settings, stateDir: string, root: string, env: NodeJS.ProcessEnv = process.env): UpstreamGrantStore {
  const ref = settings.upstream_credentials.encryption_key;
  return new UpstreamGrantStore(stateLayout(stateDir).upstreamGrantsDir, ref ? grantKey(resolveSecrets(ref, root, env)) : undefined);
}
