// Changes a person makes in the UI, as requests: their schemas, and who the person is to the
// registry service. The service does the rest (rights against scopes.yml, validation, writing
// with comments kept, applying) — the page only mirrors what it will allow.
import { z } from 'zod';
import { httpUrl } from '../../core/config/common.js';
import { SERVICE_NAME } from '../../core/config/service.js';
import type { Actor } from '../../core/policy/registry-access.js';
import { BadRequestError } from './errors.js';
import type { WebSession } from './session-store.js';

const tags = z.array(z.string().trim().min(1).max(64)).max(32);
const upstream = z.union([httpUrl, z.array(httpUrl).min(1)]);

export const editRequestSchema = z
  .object({ description: z.string().max(2000).optional(), tags: tags.optional(), upstream: upstream.optional() })
  .strict();

/** The UI registers HTTP upstreams only: starting local commands stays with the files in git. */
export const registerRequestSchema = z
  .object({
    name: z.string().regex(SERVICE_NAME, 'must be lowercase letters, digits and dashes'),
    path: z.string().optional(),
    description: z.string().max(2000).default(''),
    tags: tags.default([]),
    upstream,
    transport: z.enum(['streamable-http', 'sse']).default('streamable-http'),
    enabled: z.boolean().default(true),
  })
  .strict();

export type EditRequest = z.infer<typeof editRequestSchema>;
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

export function parseRequest<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
  throw new BadRequestError(problems.join('; '), { problems });
}

/** The signed-in person, as the registry's rules see them. */
export function personOf(session: Pick<WebSession, 'subject' | 'groups' | 'operator'>): Actor {
  return session.operator ? { kind: 'operator', subject: session.subject } : { kind: 'person', subject: session.subject, groups: session.groups };
}

export const WEB_REGISTRATION_COMMENT = 'Registered in the mcpgw web UI';
