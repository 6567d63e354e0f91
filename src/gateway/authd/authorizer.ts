// The decision point behind Caddy's forward_auth: who is calling (token → identity), what is
// asked (headers/body → calls), and is it allowed (policy). Returns the HTTP answer as data so
// the server around it stays a thin adapter. Every path that is not an explicit allow denies.
import { publicUrl, type Settings } from '../../core/config/settings.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { AuditEntry } from '../../core/state/audit-trail.js';
import type { ApiKeySource } from './api-key-source.js';
import { isApiKey } from '../../core/identity/api-keys.js';
import { SessionBindings, sessionOwnerOf } from '../../core/policy/session-binding.js';
import { ExpiringCache } from './decision-cache.js';
import { AuthError, BodyTooLargeError } from '../../core/identity/errors.js';
import { MalformedRequestError } from '../../core/wire/errors.js';
import { httpStatusOf } from '../../core/errors.js';
import type { Identity } from '../../core/identity/identity.js';
import { parseMcpRequest, type JsonRpcId, type McpCall } from '../../core/wire/mcp-request.js';
import { decide, groupsGranting, scopesForGroups, type PolicyDecision, type PolicyRequest } from '../../core/policy/policy.js';
import type { PolicySource } from './policy-source.js';
import { bearerToken, type TokenVerifier } from '../../core/identity/token-verifier.js';
import { encodeIdentityHeader } from '../../core/identity/identity-header.js';
import { unavailabilityOf, unavailableAnswer } from './service-availability.js';
import { headerKey, IDENTITY_HEADER, MCPGW_HEADER, RESOURCE_METADATA_PATH } from '../../core/wire/contract.js';
import { AuthdRefusal, refusal, type AuthdAnswer } from './rpc-answer.js';
import { limitAnswer, type LimitEnforcer } from './limit-enforcer.js';
import { upstreamCredentialAnswer, type UpstreamCredentials } from './upstream-credentials.js';
import { UpstreamCredentialError } from './upstream-credential-errors.js';

/** The parts of Caddy's subrequest authd reads (header values already decoded to text). */
export interface VerifyRequest {
  authorization?: string;
  service?: string;
  body?: string;
  mcpMethod?: string;
  mcpName?: string;
  /** MCP-Protocol-Version: 2026-07-28 makes Mcp-Method/Mcp-Name required and checked. */
  protocolVersion?: string;
  /** Mcp-Param-{Name} headers, by lower-case name. */
  mcpParams?: Record<string, string>;
  origin?: string;
  /** Mcp-Session-Id, or a legacy SSE message POST's sessionId. */
  sessionId?: string;
  /** Caddy's request id (X-Mcpgw-Request-Id), recorded with the decision. */
  requestId?: string;
  /** The trace id of the request's W3C traceparent, recorded with the decision. */
  traceId?: string;
}

/** Where decisions go: the audit trail, and the metrics when they are on. */
export interface DecisionSink {
  record(entry: Omit<AuditEntry, 'time'>): void;
}

export type { AuthdAnswer };

/** API keys carry no expiry; cache their identity briefly (a revoke also clears the cache). */
const API_KEY_CACHE_MS = 10 * 60_000;

export function resourceMetadataUrl(settings: Settings, service?: Pick<ServiceDefinition, 'path'>): string {
  return `${publicUrl(settings)}${RESOURCE_METADATA_PATH}${service?.path ?? ''}`;
}

/** Decisions kept per caller; more distinct requests than this and the caller's are dropped (bounded memory). */
const DECISIONS_PER_CALLER = 256;

/**
 * One verified bearer credential, cached until it expires (or policy or keys change): its
 * identity, the decisions made for it under the current policy, and its identity header. Keyed
 * by token once, so a cached decision costs one lookup of the (long) token, not one per call.
 */
interface Caller {
  identity: Identity;
  /** By server, method, target and (tools/call) the Mcp-Param-* values asked with it. */
  decisions: Map<string, PolicyDecision>;
  /** The headers of a 2xx (X-Mcpgw-Identity: the identity and its scopes under the current policy); frozen, shared by its answers. */
  allowed?: Readonly<Record<string, string>>;
}

export class Authorizer {
  private readonly callers = new ExpiringCache<Caller>();
  /** Who opened each session (Mcp-Session-Id, SSE sessionId), per service. */
  readonly sessions = new SessionBindings();
  /** Who created each task (the tasks extension's taskId), per service. */
  readonly tasks = new SessionBindings();

  constructor(
    private readonly settings: Settings,
    private readonly source: PolicySource,
    private readonly verifier: TokenVerifier,
    private readonly audit?: DecisionSink,
    /** Services `health.gate` withholds now (see HealthGateSource). */
    private readonly gate: { readonly current: ReadonlySet<string> } = { current: new Set() },
    /** Rate limits, quotas and concurrency caps (limit-enforcer.ts); none: no limits are counted. */
    private readonly limits?: LimitEnforcer,
    /** keys.json, checked on every request that presents an API key (api-key-source.ts). */
    private readonly apiKeys?: Pick<ApiKeySource, 'refresh'>,
    /** Per-caller upstream credentials (upstream_auth token_exchange / delegated_oauth); none: static only. */
    readonly upstream?: Pick<UpstreamCredentials, 'headersFor'>,
  ) {}

  /** Forget every cached identity and decision (policy or keys changed). */
  clearCaches(): void {
    this.callers.clear();
  }

  /** Decide one subrequest. An unexpected failure is audited before authd answers 503 (fail closed). */
  async authorize(req: VerifyRequest): Promise<AuthdAnswer> {
    try {
      return await this.decideRequest(req);
    } catch (err) {
      this.record(req, null, undefined, 503, `authd_error: ${(err as Error)?.message ?? err}`);
      throw err;
    }
  }

  private async decideRequest(req: VerifyRequest): Promise<AuthdAnswer> {
    const serviceName = req.service ?? '';
    const deny = (answer: AuthdAnswer, reason: string, identity: Identity | null): AuthdAnswer => {
      this.record(req, identity, undefined, answer.status, reason);
      return answer;
    };
    if (!serviceName) {
      return deny(refusal(null, new AuthdRefusal('ERR_NO_SERVICE', `${MCPGW_HEADER.service} is missing: the gateway route is misconfigured`, 'invalid-input')), `no ${MCPGW_HEADER.service}`, null);
    }
    const service = this.source.current.services.get(serviceName);
    if (!service) {
      return deny(refusal(null, new AuthdRefusal('ERR_UNKNOWN_SERVICE', `unknown service "${serviceName}"`, 'denied', { server: serviceName })), 'unknown service', null);
    }
    // Before identity: a disabled or gated service answers alike to everyone, token or not.
    const unavailable = unavailabilityOf(service, this.gate.current);
    if (unavailable) return deny(unavailableAnswer(serviceName, unavailable), unavailable, null);
    if (req.origin && !this.originAllowed(req.origin)) {
      return deny(refusal(null, new AuthdRefusal('ERR_ORIGIN', `origin ${req.origin} is not allowed`, 'denied', { origin: req.origin })), `origin ${req.origin} not allowed`, null);
    }
    // Caddy reads one byte past the limit (proxy-chain): more than the limit means the body was
    // longer and Caddy cut it — refuse it whole, auth: none included, before anything is proxied.
    const size = req.body ? Buffer.byteLength(req.body) : 0;
    if (size > service.limits.max_body_bytes) {
      const err = new BodyTooLargeError(service.limits.max_body_bytes);
      return deny(refusal(null, err), err.code, null);
    }
    // The definition says so, not a request header: a client cannot talk its way past identity.
    if (service.auth === 'none') {
      this.record(req, null, undefined, 200, 'auth: none');
      return { status: 200, headers: {}, body: '' };
    }
    const challenge = `Bearer resource_metadata="${resourceMetadataUrl(this.settings, service)}"`;
    const token = bearerToken(req.authorization);
    if (!token) {
      // RFC 6750 §3.1: no error code when the request carried no credentials at all.
      const message = req.authorization ? 'the Authorization header is not a Bearer token' : 'authentication required';
      return deny(refusal(null, new AuthdRefusal('ERR_NO_TOKEN', message, 'unauthenticated'), { 'www-authenticate': challenge }), message, null);
    }

    let caller: Caller;
    try {
      caller = await this.caller(token);
    } catch (err) {
      if (!(err instanceof AuthError)) throw err;
      const headers: Record<string, string> = err.status === 401 ? { 'www-authenticate': `${challenge}, error="invalid_token", error_description="${err.code}"` } : {};
      return deny(refusal(null, err, headers), err.code, null);
    }
    const { identity } = caller;

    let calls: McpCall[];
    let replyId: JsonRpcId;
    let params: Record<string, string>;
    let modern: boolean;
    try {
      ({ calls, replyId, params, modern } = parseMcpRequest({ body: req.body, mcpMethod: req.mcpMethod, mcpName: req.mcpName, protocolVersion: req.protocolVersion, mcpParams: req.mcpParams }));
    } catch (err) {
      if (!(err instanceof MalformedRequestError)) throw err;
      return deny(refusal(err.replyId, err), err.code, identity);
    }

    const denied: { id: JsonRpcId; method: string | null; name: string | null; missing: string; reason: string }[] = [];
    // Mcp-Param-* can decide only where the upstream checks them against the body: a 2026-07-28
    // server must; the stdio host does not (it cannot know the tool's x-mcp-header schema).
    const asked: Pick<PolicyRequest, 'params' | 'paramsChecked'> = { params, paramsChecked: modern && service.transport !== 'stdio' };
    const decided = calls.map((call) => ({ call, decision: this.decideCached(caller, serviceName, call, call.method === 'tools/call' ? asked : undefined) }));
    for (const { call, decision } of decided) {
      if (!decision.allowed) denied.push({ id: call.id ?? null, method: call.method ?? null, name: call.name ?? null, missing: decision.missing, reason: decision.reason });
    }
    // Sessions belong to whoever used them first (core/policy/session-binding): refuse the rest.
    if (denied.length === 0 && req.sessionId && this.sessions.check(serviceName, req.sessionId, sessionOwnerOf(identity)) === 'foreign') {
      for (const { call } of decided) this.record(req, identity, call, 403, 'session belongs to another caller');
      return refusal(replyId, new AuthdRefusal('ERR_SESSION_OWNER', 'this session belongs to another caller', 'denied', { server: serviceName }));
    }
    // Tasks (tasks/get, tasks/update, tasks/cancel) belong to their creator by the same rule:
    // the id travels only in the answer to the call that created the task, whose caller polls first.
    const foreignTask = denied.length === 0 ? calls.find((c) => c.taskId !== undefined && this.tasks.check(serviceName, c.taskId, sessionOwnerOf(identity)) === 'foreign') : undefined;
    if (foreignTask) {
      for (const { call } of decided) this.record(req, identity, call, 403, 'task belongs to another caller');
      return refusal(replyId, new AuthdRefusal('ERR_TASK_OWNER', 'this task belongs to another caller', 'denied', { server: serviceName }));
    }
    // Limits count only what policy allowed, and only when all of it was allowed.
    let verdict = denied.length === 0 && this.limits ? this.limits.admit({ policy: this.source.current.policy, service, identity, calls: decided }) : undefined;
    if (verdict instanceof Promise) verdict = await verdict;
    if (verdict && !verdict.admitted) {
      const answer = limitAnswer(verdict, replyId, serviceName, calls.length);
      for (const { call } of decided) this.record(req, identity, call, answer.status, verdict.reason, verdict.reason === 'rate_limited' ? verdict.limit.name : undefined);
      return answer;
    }
    // Allowed so far: the upstream credential, if the service takes one per caller; none means no call.
    let credential: Record<string, string> = {};
    if (denied.length === 0 && this.upstream) {
      try {
        const headers = this.upstream.headersFor(service, identity, token);
        credential = headers instanceof Promise ? await headers : headers;
      } catch (err) {
        if (!(err instanceof UpstreamCredentialError)) throw err;
        for (const { call } of decided) this.record(req, identity, call, httpStatusOf(err.kind), err.code);
        return upstreamCredentialAnswer(err, replyId);
      }
    }
    for (const { call, decision } of decided) this.record(req, identity, call, decision.allowed ? 200 : 403, decision.reason);
    if (denied.length > 0) {
      const first = denied[0]!;
      const message = calls.length > 1 ? `${denied.length} of ${calls.length} calls in the batch are not allowed; the batch is refused as a whole` : `not allowed: ${first.missing}`;
      return refusal(replyId, new AuthdRefusal('ERR_FORBIDDEN', message, 'denied', { server: serviceName, missing: first.missing, reason: first.reason, ...(calls.length > 1 ? { denied } : {}) }), {
        'www-authenticate': this.insufficientScope(service, serviceName, denied),
      });
    }
    caller.allowed ??= Object.freeze({ [headerKey(IDENTITY_HEADER)]: encodeIdentityHeader({ subject: identity.subject, kind: identity.kind, groups: identity.groups, scopes: scopesForGroups(this.source.current.policy, identity.groups), issuer: identity.issuer }) });
    return { status: 200, headers: Object.keys(credential).length ? Object.assign({}, caller.allowed, credential) : caller.allowed, body: '' };
  }

  /**
   * RFC 6750 §3.1 / MCP 2025-11-25 "Scope Challenge Handling": what a refused caller needs. The
   * scope names the identity-provider groups (the groups claim; a `scope` claim when
   * groups_claim is scope) whose scopes.yml scopes would allow every refused call.
   */
  private insufficientScope(service: Pick<ServiceDefinition, 'path'>, server: string, denied: { method: string | null; name: string | null }[]): string {
    const policy = this.source.current.policy;
    const needed = denied.map((d) => new Set(groupsGranting(policy, { server, method: d.method ?? undefined, name: d.name ?? undefined })));
    // A scope token cannot hold spaces, quotes or backslashes (RFC 6750 §3): such group names are left out.
    const groups = [...(needed[0] ?? [])].filter((g) => needed.every((set) => set.has(g)) && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(g));
    const scope = groups.length ? `, scope="${groups.join(' ')}"` : '';
    return `Bearer error="insufficient_scope"${scope}, resource_metadata="${resourceMetadataUrl(this.settings, service)}"`;
  }

  private record(req: VerifyRequest, identity: Identity | null, call: McpCall | undefined, status: number, reason: string, limit?: string): void {
    if (!this.audit) return;
    // Built in order, absent fields left out, without `{ ...x }` (a slow path in V8 when more
    // properties follow; this runs once per call of every request).
    const entry: Omit<AuditEntry, 'time'> = limit ? ({ limit } as Omit<AuditEntry, 'time'>) : ({} as Omit<AuditEntry, 'time'>);
    entry.identity = identity && { subject: identity.subject, kind: identity.kind, groups: identity.groups };
    entry.server = req.service ?? '';
    entry.method = call?.method ?? null;
    entry.tool = call?.name ?? null;
    entry.decision = status < 300 ? 'allow' : 'deny';
    entry.status = status;
    entry.reason = reason;
    if (req.requestId) entry.request = req.requestId;
    if (req.traceId) entry.trace = req.traceId;
    this.audit.record(entry);
  }

  private originAllowed(origin: string): boolean {
    const own = new URL(publicUrl(this.settings)).origin;
    return origin === own || this.settings.gateway.allowed_origins.includes(origin);
  }

  /** The identity a bearer token carries (cached); throws AuthError. Also serves GET /limits. */
  async identify(token: string): Promise<Identity> {
    return (await this.caller(token)).identity;
  }

  /** The cached caller of a bearer token, verified when not cached; throws AuthError. */
  private async caller(token: string): Promise<Caller> {
    // Before the cache: a revoked key must not live on in a cached identity or decision.
    if (isApiKey(token) && this.apiKeys?.refresh()) this.clearCaches();
    const cached = this.callers.get(token);
    if (cached) return cached;
    const identity = await this.verifier.verify(token);
    const caller: Caller = { identity, decisions: new Map() };
    this.callers.set(token, caller, identity.expiresAt ?? Date.now() + API_KEY_CACHE_MS);
    return caller;
  }

  private decideCached(caller: Caller, server: string, call: McpCall, headers?: Pick<PolicyRequest, 'params' | 'paramsChecked'>): PolicyDecision {
    let key = `${server}\u0000${call.method ?? ''}\u0000${call.name ?? ''}`;
    // Mcp-Param-* values are part of what is asked (a grant's `params:` decides on them).
    if (headers) key += `\u0000${headers.paramsChecked ? 1 : 0}${JSON.stringify(headers.params)}`;
    const cached = caller.decisions.get(key);
    if (cached) return cached;
    const decision = decide(this.source.current.policy, caller.identity, { server, method: call.method, name: call.name, ...headers });
    if (caller.decisions.size >= DECISIONS_PER_CALLER) caller.decisions.clear();
    caller.decisions.set(key, decision);
    return decision;
  }
}
