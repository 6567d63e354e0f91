// Gauges read from the state dir at scrape time — probe health and latency, tools per service,
// tools withheld by pinning — and the tool names that bound the `tool` label (KnownNames).
import { Gauge, type Registry } from 'prom-client';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import { readHealth, type HealthFile } from '../../core/state/snapshots.js';
import { usableTools } from '../../core/state/tool-approvals.js';
import type { KnownNames } from './metric-labels.js';

export class StateMetrics implements KnownNames {
  /** Tool names of the snapshots (refreshed at start, on reload and on every scrape). */
  private toolNames = new Map<string, Set<string>>();
  /** Replaced whenever the names above or the definitions change (see namesVersion). */
  private version?: { definitions: ReadonlyMap<string, ServiceDefinition>; tools: Map<string, Set<string>> };
  /** Tool names of each definition object (a reload makes new objects). */
  private readonly definitionTools = new WeakMap<ServiceDefinition, Set<string>>();

  constructor(
    registry: Registry,
    private readonly layout: StateLayout,
    private readonly definitions: () => ReadonlyMap<string, ServiceDefinition>,
  ) {
    const labelNames = ['service'] as const;
    const state = this;
    let health: HealthFile = {};
    let tools: Map<string, { usable: number; withheld: number }> = new Map();
    // One read of the state dir per scrape, shared by the gauges below (collect runs them in order).
    new Gauge({
      name: 'mcpgw_service_enabled',
      help: 'Whether a defined service is enabled (1) or disabled (0).',
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        [health, tools] = await Promise.all([readHealth(layout).catch(() => ({})), state.refreshTools()]);
        for (const svc of state.definitions().values()) this.set({ service: svc.name }, svc.enabled ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mcpgw_probe_up',
      help: 'Last probe of the service succeeded (1) or not (0); absent before the first probe.',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [service, h] of Object.entries(health)) if (state.hasService(service)) this.set({ service }, h.status === 'healthy' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mcpgw_probe_latency_seconds',
      help: 'Duration of the last probe (connect, initialize, tools/list).',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [service, h] of Object.entries(health)) if (state.hasService(service) && h.latencyMs !== undefined) this.set({ service }, h.latencyMs / 1000);
      },
    });
    new Gauge({
      name: 'mcpgw_probe_last_check_timestamp_seconds',
      help: 'Unix time of the last probe.',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [service, h] of Object.entries(health)) if (state.hasService(service)) this.set({ service }, Date.parse(h.checkedAt) / 1000);
      },
    });
    new Gauge({
      name: 'mcpgw_tools',
      help: 'Tools a service offers that agents may use (snapshot, or the static tools: list).',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [service, t] of tools) this.set({ service }, t.usable);
      },
    });
    new Gauge({
      name: 'mcpgw_tools_withheld',
      help: 'Tools of a pin_tools service waiting for `mcpgw tools approve` (new or changed).',
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const [service, t] of tools) this.set({ service }, t.withheld);
      },
    });
  }

  hasService(service: string): boolean {
    return this.definitions().has(service);
  }

  /** Does the definition (its `tools:`) or the last snapshot name this tool? */
  hasTool(service: string, tool: string): boolean {
    if (this.toolNames.get(service)?.has(tool)) return true;
    const definition = this.definitions().get(service);
    if (!definition?.tools?.length) return false;
    let names = this.definitionTools.get(definition);
    if (!names) this.definitionTools.set(definition, (names = new Set(definition.tools.map((t) => t.name))));
    return names.has(tool);
  }

  /** A value that changes whenever hasService or hasTool may answer differently (a reload, a re-read of the snapshots). */
  namesVersion(): object {
    const definitions = this.definitions();
    if (this.version?.definitions !== definitions || this.version.tools !== this.toolNames) this.version = { definitions, tools: this.toolNames };
    return this.version;
  }

  /** Re-read snapshots and approvals: the tool label's names and the tool gauges. */
  async refreshTools(): Promise<Map<string, { usable: number; withheld: number }>> {
    const counts = new Map<string, { usable: number; withheld: number }>();
    const names = new Map<string, Set<string>>();
    await Promise.all(
      [...this.definitions().values()].map(async (svc) => {
        const usable = await usableTools(this.layout, svc).catch(() => ({ tools: svc.tools ?? [], withheld: [] }));
        counts.set(svc.name, { usable: usable.tools.length, withheld: usable.withheld.length });
        names.set(svc.name, new Set([...(svc.tools ?? []), ...usable.tools, ...usable.withheld].map((t) => t.name)));
      }),
    );
    this.toolNames = names;
    return counts;
  }
}
