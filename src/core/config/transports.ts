// The transports a service definition may name: a constant of its own, so the CLI can offer
// them as choices without loading the schema (zod) for `mcpgw --help`.
export const TRANSPORTS = ['streamable-http', 'sse', 'stdio'] as const;
export type Transport = (typeof TRANSPORTS)[number];
