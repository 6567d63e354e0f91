// One check of one service: connect, initialize, page through ListTools, all within
// `health.timeout`. Never throws: every failure becomes a status with a reason.
import type { ServiceDefinition, ToolDefinition } from '../../core/config/service.js';
import type { ServiceHealth } from '../../core/state/snapshots.js';
import { classifyFailure } from './classify.js';
import { connectService, type ProbeSession } from './connect.js';
import { ProbeTimeoutError } from './errors.js';
import { listCachingOf, mergeListCaching, type ListCaching } from '../../core/state/list-caching.js';

/** A server that keeps returning cursors is cut off here rather than probed forever. */
const MAX_PAGES = 100;

export interface ProbeOutcome {
  service: string;
  /** The check's result; `failures` is filled in when it is recorded. */
  health: Omit<ServiceHealth, 'failures'>;
  /** Every tool listed, when the check succeeded. */
  tools?: ToolDefinition[];
  /** The list's 2026-07-28 caching hints (ttlMs, cacheScope), when the server gave any. */
  caching?: ListCaching;
  transport?: ProbeSession['transport'];
}

export interface ProbeServiceOptions {
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides the service's `health.timeout`. */
  timeoutMs?: number;
}

export async function listAllTools(session: ProbeSession, signal: AbortSignal): Promise<{ tools: ToolDefinition[]; caching: ListCaching }> {
  const tools: ToolDefinition[] = [];
  const pages: ListCaching[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await session.client.listTools(cursor === undefined ? {} : { cursor }, { signal });
    tools.push(...(result.tools as ToolDefinition[]));
    pages.push(listCachingOf(result));
    cursor = result.nextCursor;
    if (cursor === undefined || seen.has(cursor)) return { tools, caching: mergeListCaching(pages) };
    seen.add(cursor);
  }
  throw new Error(`ListTools still paging after ${MAX_PAGES} pages`);
}

export async function probeService(svc: ServiceDefinition, options: ProbeServiceOptions): Promise<ProbeOutcome> {
  const timeoutMs = options.timeoutMs ?? svc.health.timeout;
  const controller = new AbortController();
  const started = performance.now();
  const checkedAt = new Date().toISOString();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new ProbeTimeoutError(timeoutMs);
      reject(err);
      controller.abort(err);
    }, timeoutMs);
  });
  let session: ProbeSession | undefined;
  const check = (async () => {
    session = await connectService(svc, { baseDir: options.baseDir, env: options.env, signal: controller.signal });
    const { tools, caching } = await listAllTools(session, controller.signal);
    return { session, tools, caching };
  })();
  check.catch(() => {}); // the deadline may win the race; the loser's rejection is expected
  try {
    const { session: open, tools, caching } = await Promise.race([check, deadline]);
    const version = open.client.getServerVersion();
    return {
      service: svc.name,
      transport: open.transport,
      tools,
      ...(caching.ttlMs !== undefined || caching.cacheScope ? { caching } : {}),
      health: {
        status: 'healthy',
        latencyMs: Math.round(performance.now() - started),
        checkedAt,
        protocolVersion: open.protocolVersion,
        serverInfo: version ? { name: version.name, version: version.version } : undefined,
        toolCount: tools.length,
      },
    };
  } catch (err) {
    const failed = classifyFailure(controller.signal.aborted ? controller.signal.reason : err);
    return { service: svc.name, health: { status: failed.status, reason: failed.reason, latencyMs: Math.round(performance.now() - started), checkedAt } };
  } finally {
    clearTimeout(timer);
    controller.abort();
    await (session as ProbeSession | undefined)?.close();
  }
}
