// Caddy's own Prometheus metrics (its admin endpoint /metrics), passed through on mcpgw's
// metrics listener so one scrape sees the whole node. Only the caddy_* families are kept: the
// Go runtime's go_* / process_* would collide with authd's own process metrics. The Host header
// node sends (the admin address itself) is one Caddy's admin API accepts.
import { request } from 'node:http';
import { parseListenAddress } from '../../core/http/listen.js';

const TIMEOUT_MS = 2_000;

/** GET /metrics from a Caddy admin address (host:port or unix//path). */
export function fetchCaddyMetrics(admin: string): Promise<string> {
  const parsed = parseListenAddress(admin);
  const target = 'socket' in parsed ? { socketPath: parsed.socket } : parsed;
  return new Promise((resolve, reject) => {
    const req = request({ ...target, path: '/metrics', method: 'GET', timeout: TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`Caddy admin /metrics answered ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`Caddy admin /metrics did not answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Keep the caddy_* families (their HELP, TYPE and samples) of a Prometheus text exposition. Pure. */
export function caddyFamilies(text: string): string {
  const kept = text.split('\n').filter((line) => {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) return line.slice(7).startsWith('caddy_');
    return line.startsWith('caddy_');
  });
  return kept.length ? `${kept.join('\n')}\n` : '';
}
