// Calls for a cluster under test: one session-less 2026-07-28 tools/call, a bounded load of them
// (a few clients in a loop, each with one request in flight), and waiting until every node agrees.
// Shared by test/control/multi-node and bench/multi-node.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const V = '2026-07-28';
const META = { 'io.modelcontextprotocol/protocolVersion': V, 'io.modelcontextprotocol/clientInfo': { name: 'cluster-load', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

/** `tools/call echo` on `service`, session-less (2026-07-28: Mcp-Method and Mcp-Name say what the body says). */
export async function modernCall(gatewayUrl: string, key: string, id: number, service = 'modern', signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const res = await fetch(`${gatewayUrl}/${service}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': V, 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { message: `m${id}` }, _meta: META } }),
    signal: signal ?? AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

interface Outcome {
  started: number;
  ended: number;
  ok: boolean;
  error?: string;
}

export interface LoadReport {
  total: number;
  ok: number;
  failed: number;
  errors: string[];
  okAfter(time: number): number;
  /** Failed requests that started at or after `time`. */
  failedAfter(time: number): number;
  outcomes: readonly Outcome[];
}

export interface RunningLoad {
  /** Resolves once `condition` holds for the outcomes so far. */
  until(condition: (report: LoadReport) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<LoadReport>;
}

function reportOf(outcomes: readonly Outcome[]): LoadReport {
  const failed = outcomes.filter((o) => !o.ok);
  return {
    total: outcomes.length,
    ok: outcomes.length - failed.length,
    failed: failed.length,
    errors: failed.map((o) => o.error ?? 'failed'),
    okAfter: (time) => outcomes.filter((o) => o.ok && o.started >= time).length,
    failedAfter: (time) => failed.filter((o) => o.started >= time).length,
    outcomes,
  };
}

/** `clients` loops of session-less calls through `url`, each waiting for its answer before the next. */
export function runLoad(url: string, key: string, options: { clients: number; service?: string }): RunningLoad {
  const outcomes: Outcome[] = [];
  let running = true;
  let id = 0;
  const loop = async () => {
    while (running) {
      const started = Date.now();
      const outcome = await modernCall(url, key, ++id, options.service).then(
        (r) => ({ ok: r.status === 200 && r.text.includes('"result"'), error: r.status === 200 ? undefined : `HTTP ${r.status}: ${r.text.slice(0, 200)}` }),
        (err: Error & { cause?: Error }) => ({ ok: false, error: `${err.message}${err.cause ? ` (${err.cause.message})` : ''}` }),
      );
      outcomes.push({ started, ended: Date.now(), ...outcome });
    }
  };
  const loops = Array.from({ length: options.clients }, loop);
  return {
    async until(condition, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition(reportOf(outcomes))) {
        if (Date.now() > deadline) throw new Error(`load condition not met in ${timeoutMs} ms: ${JSON.stringify({ total: outcomes.length, failed: outcomes.filter((o) => !o.ok).length })}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      running = false;
      await Promise.all(loops);
      return reportOf(outcomes);
    },
  };
}

/** Poll every node until `check` holds on each; the milliseconds until the last one agreed. */
export async function untilEveryNode<N>(nodes: readonly N[], what: string, check: (node: N) => Promise<boolean>, timeoutMs = 60_000): Promise<number> {
  const start = Date.now();
  const deadline = start + timeoutMs;
  const pending = new Set(nodes);
  while (pending.size > 0) {
    for (const node of [...pending]) if (await check(node).catch(() => false)) pending.delete(node);
    if (pending.size === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending.size} of ${nodes.length} nodes did not converge (${what}) within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

/** An MCP session (SDK client, Streamable HTTP) at `url`; `owner` is the node its id names (`<node>.<uuid>`). */
export async function openSession(url: string, key: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport; owner: string }> {
  const client = new Client({ name: 'cluster-load', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  await client.connect(transport);
  return { client, transport, owner: transport.sessionId!.split('.')[0]! };
}
