// API keys for machines: `mcpgw_<id>_<secret>`. The key is shown once at creation; the store
// (state dir keys.json, mode 0600) holds only its SHA-256 — enough for 256-bit random secrets,
// which cannot be guessed, so a slow password hash would buy nothing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readJson } from '../state/snapshots.js';
import { z } from 'zod';
import { withFileLock, writeFileAtomic } from '../config/atomic-file.js';
import { CredentialError, TokenInvalidError } from './errors.js';
import type { Identity } from './identity.js';
import { GROUP_NAME_RULE, isGroupName } from './group-name.js';

export const API_KEY_PREFIX = 'mcpgw_';
const KEY_FORMAT = /^mcpgw_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

const apiKeyRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  groups: z.array(z.string()),
  created_at: z.string(),
  /** hex SHA-256 of the whole key string. */
  sha256: z.string(),
});
const apiKeysFileSchema = z.object({ keys: z.array(apiKeyRecordSchema).default([]) });

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
/** What `keys list` shows: never the hash. */
export type ApiKeyInfo = Omit<ApiKeyRecord, 'sha256'>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

export async function readApiKeys(file: string): Promise<ApiKeyRecord[]> {
  const data = await readJson(file);
  return data === undefined ? [] : apiKeysFileSchema.parse(data).keys;
}

/** The same, synchronously: authd re-reads the (small) file on the request that notices a change. */
export function readApiKeysSync(file: string): ApiKeyRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return apiKeysFileSchema.parse(JSON.parse(text)).keys;
}

async function writeApiKeys(file: string, keys: ApiKeyRecord[]): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ keys }, null, 2)}\n`, 0o600);
}

export function apiKeyInfo(record: ApiKeyRecord): ApiKeyInfo {
  const { sha256: _hash, ...info } = record;
  return info;
}

/** Create a key; returns the key itself (to show once) and what is stored about it. */
export async function createApiKey(file: string, name: string, groups: string[]): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new CredentialError('ERR_KEY_NAME', `key name "${name}" may hold only letters, digits, ".", "_" and "-"`);
  if (groups.length === 0) throw new CredentialError('ERR_KEY_GROUPS', 'an API key needs at least one --group', 'e.g. mcpgw keys create --name ci --group developers');
  const bad = groups.find((g) => !isGroupName(g));
  if (bad !== undefined) throw new CredentialError('ERR_KEY_GROUPS', `group ${JSON.stringify(bad)} is not a group name (${GROUP_NAME_RULE})`, 'use the group names of scopes.yml');
  return withFileLock(file, async () => {
    const keys = await readApiKeys(file);
    if (keys.some((k) => k.name === name)) throw new CredentialError('ERR_KEY_EXISTS', `an API key named "${name}" exists`, `revoke it first: mcpgw keys revoke ${name}`);
    const id = randomBytes(6).toString('hex');
    const key = `${API_KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = { id, name, groups, created_at: new Date().toISOString(), sha256: sha256(key) };
    await writeApiKeys(file, [...keys, record]);
    return { key, info: apiKeyInfo(record) };
  });
}

/** Revoke by name or id; returns what was removed. */
export async function revokeApiKey(file: string, nameOrId: string): Promise<ApiKeyInfo> {
  return withFileLock(file, async () => {
    const keys = await readApiKeys(file);
    const found = keys.find((k) => k.name === nameOrId || k.id === nameOrId);
    if (!found) throw new CredentialError('ERR_KEY_UNKNOWN', `no API key named "${nameOrId}"`, 'see mcpgw keys list');
    await writeApiKeys(file, keys.filter((k) => k !== found));
    return apiKeyInfo(found);
  });
}

/** Check a presented key against the stored hashes; the identity of its groups, or a 401 error. */
export function verifyApiKey(records: readonly ApiKeyRecord[], key: string): Identity {
  const match = KEY_FORMAT.exec(key);
  const record = match && records.find((r) => r.id === match[1]);
  if (!record) throw new TokenInvalidError('ERR_API_KEY_UNKNOWN', 'unknown or revoked API key');
  const presented = Buffer.from(sha256(key), 'hex');
  if (!timingSafeEqual(presented, Buffer.from(record.sha256, 'hex'))) throw new TokenInvalidError('ERR_API_KEY_UNKNOWN', 'unknown or revoked API key');
  return { subject: `api-key:${record.name}`, kind: 'api-key', groups: record.groups, scopes: [] };
}
