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

/** The `logging` app: the access logger to a rolled file, with every header deleted; the default log unchanged otherwise. */
export function accessLogging(settings: Settings, stateDir: string): Record<string, unknown> {
  const maxMb = Math.max(1, Math.round(settings.audit.max_size / 1_000_000));
  return {
    logs: {
      default: { exclude: [`http.log.access.${ACCESS_LOGGER}`] },
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
