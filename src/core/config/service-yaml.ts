// Renders a new registry.d file from fields, in the order people read them.
import { Document } from 'yaml';

/** Fields as written in a registry.d file (before defaults). */
export interface ServiceFields {
  name: string;
  path?: string;
  description?: string;
  tags?: string[];
  enabled?: boolean;
  transport?: string;
  upstream?: string | string[];
  command?: string | string[] | Record<string, unknown>;
  headers?: Record<string, string>;
  tools?: Record<string, unknown>[];
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

const ORDER = ['name', 'path', 'description', 'tags', 'enabled', 'transport', 'upstream', 'command', 'headers', 'upstream_auth', 'auth', 'pass_authorization', 'checks_mcp_headers', 'health', 'limits', 'pin_tools', 'metadata', 'tools'];

export function renderServiceYaml(fields: ServiceFields, comment?: string): string {
  const ordered: Record<string, unknown> = {};
  const keys = [...ORDER, ...Object.keys(fields).filter((k) => !ORDER.includes(k)).sort()];
  for (const key of keys) {
    const value = fields[key];
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && key !== 'tags') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    ordered[key] = value;
  }
  const doc = new Document(ordered);
  if (comment) doc.commentBefore = ` ${comment.split('\n').join('\n ')}`;
  return doc.toString({ lineWidth: 0 });
}
