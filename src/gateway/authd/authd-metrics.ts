// authd's Prometheus registry: decisions (counted from the same entries the audit trail gets),
// decision latency, the state-dir gauges, the proxy side from Caddy's access log, process and
// build info. One registry per authd (tests run several in one process).
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import type { AuditEntry } from '../../core/state/audit-trail.js';
import { VERSION } from '../../core/version.js';
import { decisionLabels, serviceLabel, type KnownNames } from './metric-labels.js';
import { HistogramFamily, RawSeriesCache, SeriesTable, type CounterSeries, type HistogramSeries } from './metric-series.js';
import { StateMetrics } from './state-metrics.js';
import { UpstreamMetrics, type UpstreamTarget } from './upstream-metrics.js';
import { caddyFamilies, fetchCaddyMetrics } from './caddy-metrics.js';

export type DecisionRecord = Omit<AuditEntry, 'time'>;

type DecisionLabels = ReturnType<typeof decisionLabels>;
type DurationLabels = { service: string; decision: 'allow' | 'deny' };

/** A decisions_total series, with the (service, tool) the upstream join keeps for its allowed requests. */
interface DecisionSeries extends CounterSeries<DecisionLabels> {
  readonly target: UpstreamTarget;
}

/** The raw values a cached decision key stands for (checked on a hit: a key must not alias two tuples). */
interface RawDecision {
  readonly server: string;
  readonly method: string | null;
  readonly tool: string | null;
  readonly status: number;
  readonly reason: string;
  readonly series: DecisionSeries;
}

export class AuthdMetrics {
  readonly registry = new Registry();
  /** Calls counted since the last scrape, per series; the counter's collect adds them to it. */
  private readonly decisionSeries = new SeriesTable<DecisionLabels, DecisionSeries>((labels) => ({ labels, pending: 0, target: { service: labels.service, tool: labels.tool } }));
  private readonly rawDecisions = new RawSeriesCache<RawDecision>();
  private readonly duration: HistogramFamily<DurationLabels>;
  /** The service label of a raw service name, and its duration series once observed. */
  private readonly rawDurations = new RawSeriesCache<{ service: string } & Partial<Record<DurationLabels['decision'], HistogramSeries<DurationLabels>>>>();
  private readonly known: KnownNames & StateMetrics;
  private readonly upstream: UpstreamMetrics;
  private readonly caddyUp: Gauge;

  constructor(layout: StateLayout, private readonly definitions: () => ReadonlyMap<string, ServiceDefinition>, private readonly caddyAdmin?: string) {
    const registers = [this.registry];
    const series = this.decisionSeries;
    collectDefaultMetrics({ register: this.registry, prefix: 'mcpgw_authd_' });
    new Gauge({ name: 'mcpgw_build_info', help: 'mcpgw version and the Node.js it runs on (always 1).', labelNames: ['version', 'node'], registers }).set({ version: VERSION, node: process.version }, 1);
    new Counter({
      name: 'mcpgw_decisions_total',
      help: 'authd decisions, one per call (a batch counts each call). Labels are bounded: unknown services, tools and methods count as "other".',
      labelNames: ['service', 'method', 'tool', 'decision', 'reason'],
      registers,
      collect() {
        for (const s of series.values()) {
          if (s.pending === 0) continue;
          this.inc(s.labels, s.pending);
          s.pending = 0;
        }
      },
    });
    this.duration = new HistogramFamily(
      this.registry,
      'mcpgw_decision_duration_seconds',
      'Time authd took to answer one /verify (token check, classification, policy).',
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    );
    this.caddyUp = new Gauge({ name: 'mcpgw_caddy_metrics_up', help: 'Whether Caddy\'s admin /metrics answered on the last scrape.', registers });
    this.known = new StateMetrics(this.registry, layout, definitions);
    this.upstream = new UpstreamMetrics(this.registry, layout.accessLog);
  }

  /** Load the snapshots' tool names that bound the tool label (at start and on reloads; every scrape refreshes them too). */
  async refreshTools(): Promise<void> {
    await this.known.refreshTools();
  }

  record(entry: DecisionRecord): void {
    const series = this.decisionSeriesOf(entry);
    series.pending++;
    if (entry.decision === 'allow' && entry.request) this.upstream.allowed(entry.request, series.target);
  }

  observeVerify(service: string | undefined, status: number, seconds: number): void {
    const raw = service ?? '';
    const cache = this.rawDurations.current(this.definitions());
    let series = cache.get(raw);
    if (!series) cache.set(raw, (series = { service: serviceLabel(this.known, raw) }));
    const decision = status < 300 ? 'allow' : 'deny';
    // Created at the first observation, as prom-client does: no empty series in the export.
    (series[decision] ??= this.duration.of({ service: series.service, decision })).observe(seconds);
  }

  /** The series of an entry's bounded labels, found by its raw values (bounded once per distinct tuple). */
  private decisionSeriesOf(entry: DecisionRecord): DecisionSeries {
    // decision follows from status (status < 300 is allow), so the key leaves it out.
    const key = `${entry.server}\n${entry.method ?? '\0'}\n${entry.tool ?? '\0'}\n${entry.status}\n${entry.reason}`;
    const cache = this.rawDecisions.current(this.known.namesVersion());
    const hit = cache.get(key);
    if (hit && hit.server === entry.server && hit.method === entry.method && hit.tool === entry.tool && hit.status === entry.status && hit.reason === entry.reason && hit.series.labels.decision === entry.decision) return hit.series;
    const series = this.decisionSeries.of(decisionLabels(this.known, entry));
    // A key two tuples share (a separator inside a value) keeps its first tuple; the other is bounded each time.
    if (!hit) cache.set(key, { server: entry.server, method: entry.method, tool: entry.tool, status: entry.status, reason: entry.reason, series });
    return series;
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
