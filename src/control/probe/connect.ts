// Opens an MCP client session to a service's upstream, directly (not through the gateway):
// Streamable HTTP first, legacy SSE when the server does not speak it, or a spawned stdio child.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { resolveSecretMap } from '../../core/config/secrets.js';
import { commandArgv } from '../../core/config/service-summary.js';
import { isUnauthorized } from './classify.js';
import { stdioServerParameters } from './stdio-parameters.js';

export const PROBE_CLIENT_INFO = { name: 'mcpgw-probe', version: '0.1.0' };

export interface ProbeSession {
  client: Client;
  /** The transport that answered: a streamable-http service may have fallen back to SSE. */
  transport: 'streamable-http' | 'sse' | 'stdio';
  /** Protocol version agreed in initialize. */
  protocolVersion?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Anchors relative `${file:…}` references and a stdio `cwd`: the checkout root. */
  baseDir: string;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

async function open(transport: Transport, kind: ProbeSession['transport'], signal: AbortSignal, describeFailure?: () => string): Promise<ProbeSession> {
  const client = new Client(PROBE_CLIENT_INFO, { capabilities: {} });
  const session: ProbeSession = { client, transport: kind, close: () => client.close().catch(() => {}) };
  // The client tells HTTP transports the negotiated version through this hook; wrapping it is
  // the one place every transport (stdio included) reveals what initialize agreed.
  const tellTransport = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    session.protocolVersion = version;
    tellTransport?.(version);
  };
  // A hung transport start (an SSE stream that never sends its endpoint) ignores the request
  // signal; closing the client on abort ends it and the spawned child, if any.
  const onAbort = () => void session.close();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    signal.throwIfAborted();
    await client.connect(transport, { signal });
  } catch (err) {
    await session.close();
    const extra = describeFailure?.();
    if (extra && err instanceof Error) err.message = `${err.message} — ${extra}`;
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return session;
}

/** MCP spec (2025-03-26, backwards compatibility): a 4xx other than 401 on POST means "try the old HTTP+SSE transport". */
function shouldFallBackToSse(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return !isUnauthorized(err) && typeof code === 'number' && code >= 400 && code < 500;
}

export async function connectService(svc: ServiceDefinition, options: ConnectOptions): Promise<ProbeSession> {
  const argv = commandArgv(svc);
  if (argv) {
    const transport = new StdioClientTransport(stdioServerParameters(svc, argv, options.baseDir, options.env));
    let stderrTail = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-400)));
    return open(transport, 'stdio', options.signal, () => stderrTail.trim().split('\n').pop() ?? '');
  }
  const url = new URL(svc.upstreams[0]!);
  // Secrets are resolved here, at the moment of use, and live only in this request's headers.
  const requestInit = { headers: resolveSecretMap(svc.headers, options.baseDir, options.env) };
  if (svc.transport === 'sse') return open(new SSEClientTransport(url, { requestInit }), 'sse', options.signal);
  try {
    return await open(new StreamableHTTPClientTransport(url, { requestInit }), 'streamable-http', options.signal);
  } catch (err) {
    if (!shouldFallBackToSse(err) || options.signal.aborted) throw err;
    return open(new SSEClientTransport(url, { requestInit }), 'sse', options.signal);
  }
}
