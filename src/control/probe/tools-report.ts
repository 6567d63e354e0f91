// What `mcpgw tools diff NAME` shows: the recorded tool changes of a service and, when its tools
// are pinned, which ones wait for approval.
import type { ServiceDefinition } from '../../core/config/service.js';
import type { StateLayout } from '../../core/state/layout.js';
import { readToolChanges, type ToolChangeRecord } from './tool-change-log.js';
import { readApprovals, usableTools, type WithheldTool } from '../../core/state/tool-approvals.js';

export interface ToolsReport {
  service: string;
  pinned: boolean;
  /** Oldest first. */
  changes: ToolChangeRecord[];
  withheld: WithheldTool[];
  approvedAt?: string;
  approvedBy?: string;
}

export async function toolsReport(layout: StateLayout, svc: ServiceDefinition): Promise<ToolsReport> {
  const [changes, usable, approvals] = await Promise.all([readToolChanges(layout, svc.name), usableTools(layout, svc), readApprovals(layout, svc.name)]);
  return {
    service: svc.name,
    pinned: svc.pin_tools,
    changes,
    withheld: usable.withheld,
    approvedAt: svc.pin_tools ? approvals?.approvedAt : undefined,
    approvedBy: svc.pin_tools ? approvals?.approvedBy : undefined,
  };
}
