// The --json envelope uses camelCase keys. Our file formats are snake_case (pass_authorization,
// created_at), so what mirrors a file is converted on the way out — except maps whose keys are
// data (header names, metadata, env, MCP tool schemas), which stay as written.
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function camelCaseKeys(value: unknown, keepAsWritten: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((v) => camelCaseKeys(v, keepAsWritten));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), keepAsWritten.has(k) ? v : camelCaseKeys(v, keepAsWritten)]));
}

/** Fields of a service definition whose keys are data, not schema. */
export const DEFINITION_DATA_FIELDS: ReadonlySet<string> = new Set(['headers', 'metadata', 'tools', 'env']);
