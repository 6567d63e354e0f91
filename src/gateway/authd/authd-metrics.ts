// authd's Prometheus registry: decisions (counted from the same entries the audit trail gets),
// decision latency, the state-dir gauges, the proxy side from Caddy's access log, process and
// build info. One registry per authd (tests run several in one process).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import type { AuditEntry } from '../../core/state/audit-trail.js';
import { VERSION } from '../../core/version.js';
import { decisionLabels, serviceLabel, type KnownNames } from './metric-labels.js';
import { StateMetrics } from './state-metrics.js';
import { UpstreamMetrics } from './upstream-metrics.js';
import { caddyFamilies, fetchCaddyMetrics } from './caddy-metrics.js';

export type DecisionRecord = Omit<AuditEntry, 'time'>;

export class AuthdMetrics {
  readonly registry = new Registry();
  private readonly decisions: Counter<'service' | 'method' | 'tool' | 'decision' | 'reason'>;
  private readonly duration: Histogram<'service' | 'decision'>;
  private readonly known: KnownNames & StateMetrics;
  private readonly upstream: UpstreamMetrics;
  private readonly caddyUp: Gauge;

  constructor(layout: StateLayout, definitions: () => ReadonlyMap<string, ServiceDefinition>, private readonly caddyAdmin?: string) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'mcpgw_authd_' });
    new Gauge({ name: 'mcpgw_build_info', help: 'mcpgw version and the Node.js it runs on (always 1).', labelNames: ['version', 'node'], registers }).set({ version: VERSION, node: process.version }, 1);
    this.decisions = new Counter({
      name: 'mcpgw_decisions_total',
      help: 'authd decisions, one per call (a batch counts each call). Labels are bounded: unknown services, tools and methods count as "other".',
      labelNames: ['service', 'method', 'tool', 'decision', 'reason'],
      registers,
    });
    this.duration = new Histogram({
      name: 'mcpgw_decision_duration_seconds',
      help: 'Time authd took to answer one /verify (token check, classification, policy).',
      labelNames: ['service', 'decision'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.caddyUp = new Gauge({ name: 'mcpgw_caddy_metrics_up', help: 'Whether Caddy\'s admin /metrics answered on the last scrape.', registers });
    this.known = new StateMetrics(this.registry, layout, definitions);
    this.upstream = new UpstreamMetrics(this.registry, layout.accessLog);
  }

  /** Load the snapshots' tool names that bound the tool label (at start and on reloads; every scrape refreshes them too). */
  async refreshTools(): Promise<void> {
    await this.known.refreshTools();
  }

  record(entry: DecisionRecord): void {
    const labels = decisionLabels(this.known, entry);
    this.decisions.inc(labels);
    if (entry.decision === 'allow' && entry.request) this.upstream.allowed(entry.request, labels.service, labels.tool);
  }

  observeVerify(service: string | undefined, status: number, seconds: number): void {
    this.duration.observe({ service: serviceLabel(this.known, service ?? ''), decision: status < 300 ? 'allow' : 'deny' }, seconds);
  }

  /** The Prometheus text of authd and (when reachable) Caddy's caddy_* families. */
  async exposition(): Promise<string> {
    let caddy = '';
    if (this.caddyAdmin) {
      try {
        caddy = caddyFamilies(await fetchCaddyMetrics(this.caddyAdmin));
        this.caddyUp.set(1);
      } catch {
        this.caddyUp.set(0);
      }
    }
    return (await this.registry.metrics()) + caddy;
  }
}
