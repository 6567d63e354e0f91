// Counting on authd's hot path without prom-client's per-call work: prom-client's `inc(labels)` and
// `observe(labels, v)` (and their `labels(…)` children) validate and hash a label object on every
// call and key a histogram's buckets by number-to-string, ~0.6 µs each. Here a call finds its
// series object by its raw inputs (one Map lookup; labels are bounded once, on a miss) and adds to
// plain numbers; the families read the sums at scrape time, in prom-client's own export format.
import type { Registry } from 'prom-client';

/** Raw inputs cached per family; beyond this many distinct ones the cache starts over (series stay). */
const RAW_LIMIT = 4_096;

/**
 * Raw request values → their series, valid while the names that bound the labels stay the same:
 * `current(generation)` starts over when the definitions or the snapshots' tool names changed, so
 * a service or tool that becomes known (or unknown) is labelled as such from its next call on.
 */
export class RawSeriesCache<S> {
  private readonly entries = new Map<string, S>();
  private generation: unknown;

  /** The cache for this generation of known names (any value that changes when they change). */
  current(generation: unknown): this {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    return this;
  }

  get(key: string): S | undefined {
    return this.entries.get(key);
  }

  set(key: string, series: S): void {
    // Raw values are caller-controlled (any tool name, any reason text): keep the cache bounded.
    if (this.entries.size >= RAW_LIMIT) this.entries.clear();
    this.entries.set(key, series);
  }
}

/** One labelled series per distinct tuple of bounded label values (as many as prom-client would hold). */
export class SeriesTable<L extends Record<string, string>, S extends { readonly labels: L }> {
  private readonly table = new Map<string, S>();

  constructor(private readonly create: (labels: L) => S) {}

  /** The series of these (already bounded) label values, created on first use. */
  of(labels: L): S {
    const key = JSON.stringify(Object.values(labels));
    let series = this.table.get(key);
    if (!series) this.table.set(key, (series = this.create(labels)));
    return series;
  }

  values(): IterableIterator<S> {
    return this.table.values();
  }

  clear(): void {
    this.table.clear();
  }
}

/** A counted series: `pending` is what the family's collect hands to prom-client's counter. */
export interface CounterSeries<L extends Record<string, string>> {
  readonly labels: L;
  pending: number;
}

/** A histogram series: per-bucket counts (not cumulative), sum and count. */
export class HistogramSeries<L extends Record<string, string>> {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: L,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

/**
 * A histogram family in a prom-client Registry, printed exactly as prom-client prints its own
 * Histogram (`_bucket` with `le` first, `+Inf`, `_sum`, `_count`), read from HistogramSeries.
 */
export class HistogramFamily<L extends Record<string, string>> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series: SeriesTable<L, HistogramSeries<L>>;

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.series = new SeriesTable((labels) => new HistogramSeries(labels, buckets));
    // The Registry asks a metric for get()/getForPromString() only; it types them as its own classes.
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series of these (already bounded) label values. */
  of(labels: L): HistogramSeries<L> {
    return this.series.of(labels);
  }

  reset(): void {
    this.series.clear();
  }

  /** What Registry.metrics() prints: series labels as shared labels after `le`, like prom-client. */
  async getForPromString() {
    const values: ExportedValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += s.counts[i]!;
        values.push({ labels: { le: this.buckets[i]! }, sharedLabels: s.labels, value: cumulative, metricName: bucket });
      }
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucket },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Registry.getMetricsAsJSON(): labels merged, as prom-client's Histogram.get() gives them. */
  async get() {
    const data = await this.getForPromString();
    return { ...data, values: data.values.map(({ sharedLabels, ...v }) => ({ ...v, labels: { ...v.labels, ...sharedLabels } })) };
  }
}
