// The probe's defaults, in a module of their own so the CLI can name them in `--help` without
// loading the probe (the MCP SDK, the state files).
export const DEFAULT_CONCURRENCY = 16;
