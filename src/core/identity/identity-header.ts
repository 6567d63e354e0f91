// The identity authd hands to everything behind Caddy, in one unambiguous encoding: the header
// X-Mcpgw-Identity holds base64url(JSON {subject, kind, groups, scopes, issuer?}). authd writes
// it with encodeIdentityHeader; the registry server (and anything else behind the gateway)
// reads it with identityFromHeaders. Caddy deletes any client copy before asking authd.
import { z } from 'zod';
import { isGroupName } from './group-name.js';
import type { Identity } from './identity.js';
import { headerKey, IDENTITY_HEADER } from '../wire/contract.js';
import { McpgwError } from '../errors.js';
import { firstHeader, type HeaderMap } from '../http/http-messages.js';

export { IDENTITY_HEADER };

/** What crosses Caddy about the caller: never a token. */
export type ForwardedIdentity = Pick<Identity, 'subject' | 'kind' | 'groups' | 'scopes' | 'issuer'>;

const forwardedSchema = z
  .object({
    subject: z.string().min(1),
    kind: z.enum(['oidc', 'api-key', 'client-credentials']),
    groups: z.array(z.string().refine(isGroupName)),
    scopes: z.array(z.string()),
    issuer: z.string().optional(),
  })
  .strict();

/** The identity header does not decode: the request did not come through authd. */
export class IdentityHeaderError extends McpgwError {
  constructor(message: string) {
    super('ERR_IDENTITY_HEADER', message, 'unauthenticated');
  }
}

export function encodeIdentityHeader(identity: ForwardedIdentity): string {
  const { subject, kind, groups, scopes, issuer } = identity;
  return Buffer.from(JSON.stringify({ subject, kind, groups, scopes, ...(issuer ? { issuer } : {}) }), 'utf8').toString('base64url');
}

export function decodeIdentityHeader(value: string): ForwardedIdentity {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new IdentityHeaderError(`${IDENTITY_HEADER} is not base64url`);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new IdentityHeaderError(`${IDENTITY_HEADER} does not hold JSON`);
  }
  const parsed = forwardedSchema.safeParse(data);
  if (!parsed.success) throw new IdentityHeaderError(`${IDENTITY_HEADER} is not an identity: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export type { HeaderMap };

/** The identity in node's (lower-cased) request headers; undefined when none was forwarded. */
export function identityFromHeaders(headers: HeaderMap | undefined): ForwardedIdentity | undefined {
  const value = firstHeader(headers, headerKey(IDENTITY_HEADER));
  return value === undefined || value === '' ? undefined : decodeIdentityHeader(value);
}
