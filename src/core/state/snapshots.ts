// Shapes of the probe's results in the state dir, and their readers. The probe writes them;
// status, search, authd (tool pinning), the registry server and the web UI read them.
import { readFile } from 'node:fs/promises';
import type { ToolDefinition } from '../config/service.js';
import type { StateLayout } from './layout.js';
import type { ListCaching } from './list-caching.js';

export type HealthStatus = 'healthy' | 'unhealthy' | 'auth-required' | 'timeout' | 'unknown';

export interface ServiceHealth {
  status: HealthStatus;
  /** Why it is not healthy (one line, never a secret). */
  reason?: string;
  latencyMs?: number;
  /** ISO time of the check. */
  checkedAt: string;
  protocolVersion?: string;
  serverInfo?: { name: string; version?: string };
  toolCount?: number;
  /** Consecutive failed checks (drives back-off). */
  failures?: number;
}

export type HealthFile = Record<string, ServiceHealth>;

export interface ToolSnapshot {
  service: string;
  checkedAt: string;
  protocolVersion?: string;
  serverInfo?: { name: string; version?: string };
  tools: ToolDefinition[];
  /** The list's caching hints: `private` lists are not shared (see list-caching.ts). */
  caching?: ListCaching;
}

export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function readHealth(layout: StateLayout): Promise<HealthFile> {
  return (await readJson<HealthFile>(layout.healthFile)) ?? {};
}

export function readSnapshot(layout: StateLayout, service: string): Promise<ToolSnapshot | undefined> {
  return readJson<ToolSnapshot>(layout.snapshotFile(service));
}
