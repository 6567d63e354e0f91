// Header values of MCP 2026-07-28 requests: `Mcp-Name` and `Mcp-Param-*` may carry a value
// that is not plain ASCII Base64-encoded in a `=?base64?…?=` sentinel (spec 2026-07-28,
// Streamable HTTP, "Request Metadata"). authd and the stdio host both read them through this.
const BASE64_SENTINEL = /^=\?base64\?([A-Za-z0-9+/=]*)\?=$/;

/** The value a header stands for: decoded when in the Base64 sentinel, else as sent. */
export function decodeHeaderValue(value: string): string {
  const m = BASE64_SENTINEL.exec(value);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : value;
}
