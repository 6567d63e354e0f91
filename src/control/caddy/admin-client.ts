// Caddy's admin API: read the running config with its ETag, replace it with If-Match so two
// appliers cannot overwrite each other silently. Caddy 2.6 sends the ETag of GET /config/
// as an HTTP trailer (hence node:http, not fetch) and honours If-Match on POST /config/
// (but not on /load). A config Caddy rejects is rolled back by Caddy itself.
import { request, type IncomingMessage } from 'node:http';
import type { CaddyConfig } from './caddy-json.js';
import { CaddyConflictError, CaddyRejectedError, CaddyUnreachableError } from './errors.js';
import { canonicalJson } from '../../core/config/canonical-json.js';

export interface RunningConfig {
  /** null when Caddy runs with no config at all. */
  config: CaddyConfig | null;
  /** The value to send as If-Match, e.g. `"/config/ 2381a51c"`. */
  etag?: string;
}

interface Endpoint {
  socketPath?: string;
  host?: string;
  port?: number;
  display: string;
}

/** `127.0.0.1:2019`, `http://127.0.0.1:2019` or `unix//run/caddy.sock` → where to connect. */
export function adminEndpoint(target: string): Endpoint {
  if (target.startsWith('unix//')) return { socketPath: target.slice('unix/'.length), display: target };
  const url = new URL(/^https?:\/\//.test(target) ? target : `http://${target}`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80), display: url.host };
}

/** The admin address as Caddy's `admin.listen` writes it. */
export function adminListenOf(target: string): string {
  const { socketPath, host, port } = adminEndpoint(target);
  if (socketPath) return target;
  return `${host!.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Connection failures where the request never reached Caddy: safe to retry even a POST. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOENT', 'EAI_AGAIN']);
const TRANSIENT = new Set([...NOT_DELIVERED, 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

interface RawResponse {
  status: number;
  body: string;
  headers: IncomingMessage['headers'];
  trailers: Record<string, string | undefined>;
  /** True when an earlier attempt broke off and this answer is to a resend. */
  resent?: boolean;
}

export class CaddyAdminClient {
  private readonly endpoint: Endpoint;
  constructor(readonly target: string, private readonly options: { retries?: number; timeoutMs?: number } = {}) {
    this.endpoint = adminEndpoint(target);
  }

  get display(): string {
    return this.endpoint.display;
  }

  async getConfig(): Promise<RunningConfig> {
    const res = await this.send('GET', '/config/', undefined, true);
    if (res.status !== 200) throw new CaddyRejectedError(this.display, res.status, caddyMessage(res.body));
    const config = res.body.trim() === '' || res.body.trim() === 'null' ? null : (JSON.parse(res.body) as CaddyConfig);
    const etag = res.trailers.etag ?? (res.headers.etag as string | undefined);
    return { config, etag };
  }

  /** Replace the whole config. With `etag`, Caddy refuses (412) if someone changed it since. */
  async putConfig(config: CaddyConfig, etag?: string): Promise<void> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (etag) headers['If-Match'] = etag;
    // A conditional push is safe to resend when the connection broke (Caddy restarts its admin
    // server on a load, resetting other clients' connections): if the first one landed, the
    // resend meets a changed ETag — and the running config then tells whether it was ours.
    const body = JSON.stringify(config);
    const res = await this.send('POST', '/config/', body, etag !== undefined, headers);
    if (res.status === 412) {
      if (res.resent && (await this.isRunning(config))) return;
      throw new CaddyConflictError(this.display);
    }
    if (res.status < 200 || res.status > 299) throw new CaddyRejectedError(this.display, res.status, caddyMessage(res.body));
  }

  /** True when Caddy runs exactly `config` now. */
  private async isRunning(config: CaddyConfig): Promise<boolean> {
    const running = await this.getConfig();
    return running.config !== null && canonicalJson(running.config) === canonicalJson(config);
  }

  /** True when the admin API answers at all. */
  async reachable(): Promise<boolean> {
    try {
      await this.send('GET', '/config/', undefined, false);
      return true;
    } catch (err) {
      if (err instanceof CaddyUnreachableError) return false;
      throw err;
    }
  }

  private async send(method: string, path: string, body: string | undefined, idempotent: boolean, headers: Record<string, string> = {}): Promise<RawResponse> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(method, path, body, headers);
        return attempt > 0 ? { ...res, resent: true } : res;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        const retryable = idempotent ? TRANSIENT.has(code) : NOT_DELIVERED.has(code);
        if (!retryable || attempt >= retries) throw new CaddyUnreachableError(this.display, code || (err as Error).message);
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
  }

  private once(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<RawResponse> {
    const { socketPath, host, port } = this.endpoint;
    return new Promise((resolve, reject) => {
      const req = request(
        // Caddy checks the Host/Origin of admin requests; a loopback Host always passes.
        { socketPath, host, port, method, path, headers: { ...headers, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) }, timeout: this.options.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const trailers = Object.fromEntries(Object.entries(res.trailers).map(([k, v]) => [k.toLowerCase(), v]));
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, trailers });
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** Caddy answers errors as {"error": "…"}; fall back to the raw text. */
function caddyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: string };
    if (parsed.error) return parsed.error;
  } catch {
    /* not JSON */
  }
  return body.trim() || '(no message)';
}
