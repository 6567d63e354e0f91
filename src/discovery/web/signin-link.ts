// The local operator's way into the web UI without an identity provider, as notebook servers
// do: `mcpgw up` / `mcpgw web --link` print a URL with a random token; the web server exchanges
// it once for a session cookie and forgets it. Only the token's SHA-256 is kept (state dir,
// mode 0600), a new link replaces the last, and an unused one expires.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { withFileLock } from '../../core/config/atomic-file.js';

export const SIGNIN_PATH = '/ui/signin';
const LINK_TTL_MS = 15 * 60_000;

const linkFile = (stateDir: string) => join(stateDir, 'web-signin.json');
const digest = (token: string) => createHash('sha256').update(token).digest();

interface StoredLink {
  sha256: string;
  expiresAt: string;
}

/** A new one-time sign-in URL under `publicBase` (the previous link stops working). */
export async function issueSignInLink(stateDir: string, publicBase: string, ttlMs = LINK_TTL_MS): Promise<{ url: string; expiresAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs).toISOString();
  const stored: StoredLink = { sha256: digest(token).toString('hex'), expiresAt };
  await writeFileAtomic(linkFile(stateDir), `${JSON.stringify(stored)}\n`, 0o600);
  return { url: `${publicBase.replace(/\/$/, '')}${SIGNIN_PATH}?token=${token}`, expiresAt };
}

/**
 * Exchange a token: true exactly once for the current link while it is fresh. The file is
 * removed under its lock before answering, so two tabs racing with one link get one session.
 */
export async function redeemSignInToken(stateDir: string, token: string | null, now = Date.now()): Promise<boolean> {
  if (!token) return false;
  const file = linkFile(stateDir);
  return withFileLock(file, async () => {
    let stored: StoredLink;
    try {
      stored = JSON.parse(await readFile(file, 'utf8')) as StoredLink;
    } catch {
      return false;
    }
    const expected = Buffer.from(stored.sha256, 'hex');
    const given = digest(token);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    await rm(file, { force: true });
    return Date.parse(stored.expiresAt) > now;
  });
}
