// What watches authd's decisions, assembled from mcpgw.yaml: the audit trail always, metrics
// (and their own loopback listener) when metrics.listen is set, a span per /verify when
// tracing.otlp_endpoint is set. authd-server hooks it in at one place.
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { Settings } from '../../core/config/settings.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import { listenOn } from '../../core/http/listen.js';
import { AuditLog } from './audit-log.js';
import { AuthdMetrics, type DecisionRecord } from './authd-metrics.js';
import { DecisionTracing } from './decision-tracing.js';
import type { AuthdAnswer, DecisionSink, VerifyRequest } from './authorizer.js';

export interface ObserverOptions {
  /** Overrides settings.metrics.listen (tests: port 0). */
  metricsListen?: string;
}

export class DecisionObserver implements DecisionSink {
  metricsUrl?: string;
  private metricsServer?: Server;

  private constructor(
    readonly audit: AuditLog,
    readonly metrics: AuthdMetrics | undefined,
    private readonly tracing: DecisionTracing | undefined,
  ) {}

  static async start(settings: Settings, layout: StateLayout, definitions: () => ReadonlyMap<string, ServiceDefinition>, options: ObserverOptions = {}): Promise<DecisionObserver> {
    const audit = new AuditLog(layout.auditLog, { maxBytes: settings.audit.max_size, rotateEveryMs: settings.audit.rotate_every, keep: settings.audit.keep, stdout: settings.audit.stdout });
    const listen = options.metricsListen ?? settings.metrics.listen;
    const metrics = listen ? new AuthdMetrics(layout, definitions, settings.caddy.admin) : undefined;
    const observer = new DecisionObserver(audit, metrics, DecisionTracing.fromSettings(settings));
    if (metrics && listen) {
      await metrics.refreshTools();
      const server = createServer((req, res) => {
        if (new URL(req.url ?? '/', 'http://metrics').pathname !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are at /metrics\n');
          return;
        }
        metrics.exposition().then(
          (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }).end(text),
          (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${err.message}\n`),
        );
      });
      observer.metricsServer = server;
      observer.metricsUrl = `${(await listenOn(server, listen)).url}/metrics`;
    }
    return observer;
  }

  /** registry.d or the keys reloaded: services and tools may have changed. */
  definitionsChanged(): void {
    void this.metrics?.refreshTools().catch(() => {});
  }

  record(entry: DecisionRecord): void {
    this.audit.record(entry);
    this.metrics?.record(entry);
  }

  /** Run one /verify under a span and the latency histogram. */
  async observe(req: IncomingMessage, verify: VerifyRequest, decideIt: () => Promise<AuthdAnswer>): Promise<AuthdAnswer> {
    if (!this.metrics && !this.tracing) return decideIt();
    const span = this.tracing?.start(req.headers, { service: verify.service });
    const started = performance.now();
    let status = 503;
    try {
      const answer = await decideIt();
      status = answer.status;
      return answer;
    } finally {
      this.metrics?.observeVerify(verify.service, status, (performance.now() - started) / 1000);
      if (span) this.tracing!.end(span, status, { method: verify.mcpMethod, tool: verify.mcpName });
    }
  }

  async close(): Promise<void> {
    if (this.metricsServer) {
      this.metricsServer.closeAllConnections();
      await new Promise<void>((resolve) => this.metricsServer!.close(() => resolve()));
    }
    await this.tracing?.close();
    await this.audit.close();
  }
}
