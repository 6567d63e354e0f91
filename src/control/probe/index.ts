// The probe feature's public surface for the CLI, the gateway (`mcpgw up`), the Caddy render,
// search, authd and the web UI.
export { probeServices, selectServices, allHealthy, DEFAULT_CONCURRENCY, type ProbeRunOptions } from './probe-run.js';
export { probeService, type ProbeOutcome } from './probe-service.js';
export type { RecordedProbe } from './record-probe.js';
export { startProbeLoop, ProbeLoop, type ProbeLoopOptions, type ProbeLoopEvents, type HealthChange } from './probe-loop.js';
export { followRegistry } from './registry-follow.js';
export { gatedServices } from '../../core/state/health-gate.js';
export { usableTools, approveTools, readApprovals, type UsableTools, type WithheldTool, type ToolApprovals } from '../../core/state/tool-approvals.js';
export { readToolChanges, type ToolChangeRecord } from './tool-change-log.js';
export { diffTools, toolFingerprint, type ToolDiff } from '../../core/state/tool-diff.js';
export { gatewayStatus, serviceStatuses, type GatewayStatus, type ServiceStatus } from './service-status.js';
export { readGatewayProcesses, type ManagedProcess } from '../../core/state/health-gateway-processes.js';
export { toolsReport, type ToolsReport } from './tools-report.js';
export { describeHealth, describeAge, summarizeDiff, diffLines } from './describe.js';
export { ProbeTimeoutError } from './errors.js';
export { NoSnapshotError, UnknownToolError } from '../../core/state/tool-approval-errors.js';
