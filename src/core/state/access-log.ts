// Caddy's access log line as mcpgw configures it (control/caddy/access-log.ts): no headers,
// `user_id` holding the request id authd recorded. authd's metrics and `mcpgw usage` read it.
import { readJsonLines } from './rotated-files.js';

export interface AccessLine {
  /** Unix time (seconds) the request finished. */
  ts?: number;
  request?: { uri?: string; method?: string };
  /** The request id (X-Mcpgw-Request-Id) — see control/caddy/access-log.ts. */
  user_id?: string;
  /** Seconds, as Caddy measured the whole request. */
  duration?: number;
  status?: number;
}

export interface RequestOutcome {
  status: number;
  durationMs: number;
}

/** request id → outcome, for the requests that finished at or after `since` (rotated files too). */
export async function requestOutcomes(file: string, since?: Date): Promise<Map<string, RequestOutcome>> {
  const out = new Map<string, RequestOutcome>();
  const from = since ? since.getTime() / 1000 : 0;
  for await (const line of readJsonLines<AccessLine>(file)) {
    if (!line?.user_id || typeof line.status !== 'number') continue;
    if (typeof line.ts === 'number' && line.ts < from) continue;
    out.set(line.user_id, { status: line.status, durationMs: (line.duration ?? 0) * 1000 });
  }
  return out;
}
