// Caddy's access log as mcpgw's record of the proxy side: one JSON line per request with its
// status and duration (Caddy's own measurement), written by Caddy into the state dir and rolled
// by Caddy. Headers are filtered out (no tokens, no identity headers); `user_id` carries Caddy's
// request id, the one authd records with its decision, so `mcpgw usage` can join the two.
import { join } from 'node:path';
import type { Settings } from '../../core/config/settings.js';
import type { CaddyHandler } from './caddy-json.js';

/** The Caddy logger name our server's access lines go to (http.log.access.<name>). */
export const ACCESS_LOGGER = 'mcpgw';
/** The file inside the state dir (StateLayout.accessLog names the same file). */
export const ACCESS_LOG_FILE = 'access.jsonl';

/**
 * Caddy 2.6 lets a route set no field of the access line except through placeholders it reads:
 * `user_id` comes from {http.auth.user.id}, which the map handler can define. We define it as
 * the request id (mcpgw has no Caddy authentication module that would set it otherwise).
 */
export const REQUEST_ID_TO_ACCESS_LOG: CaddyHandler = {
  handler: 'map',
  source: '{http.request.uuid}',
  destinations: ['{http.auth.user.id}'],
  defaults: ['{http.request.uuid}'],
};

/**
 * Module loggers left out of Caddy's default log. In Caddy 2.6 the proxy and rewrite handlers
 * build their per-request logger with `zap.Logger.With(request…)`, which encodes the whole
 * request (headers included) on every call whatever the level, for lines that are debug-level
 * (selected upstream, round trip, rewrote request): ~15 % of Caddy's CPU per gateway call
 * (its profile; measured 15–18 %), with forward_auth making two proxy round trips. A logger with no log to write to
 * is zap's no-op, which skips that. Nothing written at Caddy's default level (INFO) is lost: a
 * failed upstream is the handler's error, answered by the server's error routes and recorded in
 * the access log (status 502) and by authd's audit of the decision. What is lost are the proxy's
 * error lines about a stream cut mid-way ("aborting with incomplete response", "reading from
 * backend"): `caddy.proxy_logs: true` in mcpgw.yaml keeps these loggers, for debugging.
 */
export const QUIET_CADDY_LOGGERS = ['http.handlers.reverse_proxy', 'http.handlers.rewrite'] as const;

/** The module loggers to leave out for these settings. */
export function quietLoggers(settings: Settings): string[] {
  return settings.caddy.proxy_logs ? [] : [...QUIET_CADDY_LOGGERS];
}

/**
 * The `logging` app: the default log without the quiet module loggers, and with `stateDir`
 * (access log on) the access logger to a rolled file, with every header deleted.
 */
export function caddyLogging(settings: Settings, stateDir: string | undefined): Record<string, unknown> | undefined {
  const quiet = quietLoggers(settings);
  if (stateDir === undefined) return quiet.length ? { logs: { default: { exclude: quiet } } } : undefined;
  const maxMb = Math.max(1, Math.round(settings.audit.max_size / 1_000_000));
  return {
    logs: {
      default: { exclude: [...quiet, `http.log.access.${ACCESS_LOGGER}`] },
      [ACCESS_LOGGER]: {
        include: [`http.log.access.${ACCESS_LOGGER}`],
        writer: { output: 'file', filename: join(stateDir, ACCESS_LOG_FILE), roll_size_mb: maxMb, roll_keep: settings.audit.keep, roll_gzip: true },
        encoder: {
          format: 'filter',
          wrap: { format: 'json' },
          fields: {
            'request>headers': { filter: 'delete' },
            'request>tls': { filter: 'delete' },
            resp_headers: { filter: 'delete' },
          },
        },
      },
    },
  };
}

/** The server's `logs` section that sends its access lines to that logger. */
export function serverAccessLogs(): Record<string, unknown> {
  return { default_logger_name: ACCESS_LOGGER };
}
