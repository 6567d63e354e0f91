// Where run-time state lives inside the state directory (default .mcpgw/, not in git).
// One place names every file so the features that share state agree on it.
import { join } from 'node:path';

export interface StateLayout {
  root: string;
  /** snapshots/<service>.json — last ListTools result per service (written by probe). */
  snapshotFile(service: string): string;
  snapshotsDir: string;
  /** health.json — { [service]: ServiceHealth } (written by probe). */
  healthFile: string;
  /** tool-changes/<service>.jsonl — recorded tool diffs (written by probe). */
  toolChangesFile(service: string): string;
  /** approvals/<service>.json — the tool set approved for a `pin_tools: true` service (written by probe and `tools approve`). */
  approvalsFile(service: string): string;
  /** index/ — persisted search index (written by `mcpgw index`). */
  indexDir: string;
  /** audit.jsonl — authd decisions, never tokens (rotated: audit-<time>-<n>.jsonl). */
  auditLog: string;
  /** access.jsonl — Caddy's access log: status and duration per request, no headers (rotated by Caddy). */
  accessLog: string;
  /** keys.json — API key hashes (mode 0600). */
  apiKeysFile: string;
  /** run/ — pid files and the processes.json of `mcpgw up`. */
  runDir: string;
  /** run/processes.json — { [name]: { pid, url?, startedAt, log } } of the managed processes. */
  processesFile: string;
  /** logs/ — logs of the managed processes and of stdio servers. */
  logsDir: string;
  logFile(name: string): string;
  /** caddy/last-applied.json — the config mcpgw last pushed. */
  lastAppliedFile: string;
  /** caddy/sse-endpoints.json — where each SSE upstream last said to POST messages (written by apply, read by render). */
  sseEndpointsFile: string;
  /** registry-sources.json — the registries `mcpgw import --registry` read and when `mcpgw sync` last did (no secrets). */
  registrySourcesFile: string;
  /** federation/<peer>.json — the peer gateway's catalogue as last read (written by `mcpgw federation refresh`). */
  peerCatalogueFile(peer: string): string;
  /** upstream-grants/ — per-user upstream OAuth grants (upstream_auth: delegated_oauth), tokens AES-256-GCM encrypted, files mode 0600. */
  upstreamGrantsDir: string;
}

export function stateLayout(root: string): StateLayout {
  return {
    root,
    snapshotsDir: join(root, 'snapshots'),
    snapshotFile: (service) => join(root, 'snapshots', `${service}.json`),
    healthFile: join(root, 'health.json'),
    toolChangesFile: (service) => join(root, 'tool-changes', `${service}.jsonl`),
    approvalsFile: (service) => join(root, 'approvals', `${service}.json`),
    indexDir: join(root, 'index'),
    auditLog: join(root, 'audit.jsonl'),
    accessLog: join(root, 'access.jsonl'),
    apiKeysFile: join(root, 'keys.json'),
    runDir: join(root, 'run'),
    processesFile: join(root, 'run', 'processes.json'),
    logsDir: join(root, 'logs'),
    logFile: (name) => join(root, 'logs', `${name}.log`),
    lastAppliedFile: join(root, 'caddy', 'last-applied.json'),
    sseEndpointsFile: join(root, 'caddy', 'sse-endpoints.json'),
    registrySourcesFile: join(root, 'registry-sources.json'),
    peerCatalogueFile: (peer) => join(root, 'federation', `${peer}.json`),
    upstreamGrantsDir: join(root, 'upstream-grants'),
  };
}
