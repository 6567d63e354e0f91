// A real MCP server of protocol revision 2026-07-28 over Streamable HTTP, written by hand because
// the installed SDK (1.32) speaks only the initialize-based versions. It checks request headers
// as the spec's servers must (Mcp-Method, Mcp-Name in the =?base64?…?= form, Mcp-Param-* of
// x-mcp-header arguments: 400 -32020), answers server/discover, tools/list with ttlMs/cacheScope,
// an MRTR tool (InputRequiredResult, then the retry), a task tool (tasks/get|update|cancel) and
// subscriptions/listen (an SSE stream). initialize is answered too, so SDK clients can probe it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const VERSION = '2026-07-28';
type Json = Record<string, any>;

export interface ModernServerOptions {
  /** Caching hints on tools/list and server/discover. */
  ttlMs?: number;
  cacheScope?: 'public' | 'private';
}

export interface ReceivedRequest {
  method: string;
  headers: IncomingMessage['headers'];
  params: Json;
}

export interface RunningModernServer {
  url: string;
  /** Every JSON-RPC request it served, oldest first. */
  received: ReceivedRequest[];
  /** Sends notifications/tools/list_changed on every open subscriptions/listen stream that asked for it. */
  toolsChanged(): void;
  close(): Promise<void>;
}

export const MODERN_TOOLS = [
  { name: 'echo', description: 'Echoes its message', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } },
  { name: 'wetter-für-köln', description: 'A tool whose name needs the Base64 header form', inputSchema: { type: 'object', properties: {} } },
  { name: 'query', description: 'Runs a query in a region', inputSchema: { type: 'object', properties: { region: { type: 'string', 'x-mcp-header': 'Region' }, sql: { type: 'string' } }, required: ['region'] } },
  { name: 'confirm', description: 'Asks the user (MRTR) before it answers', inputSchema: { type: 'object', properties: {} } },
  { name: 'slow', description: 'Runs as a task', inputSchema: { type: 'object', properties: {} } },
];

const decode = (v: string) => {
  const m = /^=\?base64\?([A-Za-z0-9+/=]*)\?=$/.exec(v);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : v;
};

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startModernServer(options: ModernServerOptions = {}): Promise<RunningModernServer> {
  const received: ReceivedRequest[] = [];
  const listeners = new Set<{ res: ServerResponse; id: unknown; tools: boolean }>();
  const tasks = new Map<string, { status: string; result?: Json; input?: unknown }>();
  let taskCount = 0;
  const caching = { ttlMs: options.ttlMs ?? 0, cacheScope: options.cacheScope ?? 'public' };

  /** The spec's Server Validation; a refusal, or undefined. */
  function headerProblem(req: IncomingMessage, msg: Json): string | undefined {
    if (req.headers['mcp-protocol-version'] !== VERSION) return undefined; // an initialize-era client
    if (req.headers['mcp-method'] !== msg.method) return `Mcp-Method header value '${req.headers['mcp-method']}' does not match body value '${msg.method}'`;
    if (['tools/call', 'resources/read', 'prompts/get'].includes(msg.method)) {
      const target = msg.params?.name ?? msg.params?.uri;
      const header = req.headers['mcp-name'];
      if (typeof header !== 'string' || decode(header) !== target) return `Mcp-Name header value '${header}' does not match body value '${target}'`;
    }
    if (msg.method === 'tools/call') {
      const tool = MODERN_TOOLS.find((t) => t.name === msg.params?.name);
      for (const [arg, schema] of Object.entries((tool?.inputSchema.properties ?? {}) as Record<string, Json>)) {
        const name = schema['x-mcp-header'];
        if (!name) continue;
        const value = msg.params?.arguments?.[arg];
        const header = req.headers[`mcp-param-${name.toLowerCase()}`];
        if (value === undefined || value === null) continue;
        if (typeof header !== 'string' || decode(header) !== String(value)) return `Mcp-Param-${name} header value '${header}' does not match body value '${value}'`;
      }
    }
    return undefined;
  }

  function callTool(msg: Json): Json {
    const { name, arguments: args = {}, inputResponses, requestState } = msg.params ?? {};
    if (name === 'echo') return { content: [{ type: 'text', text: `echo: ${args.message}` }] };
    if (name === 'wetter-für-köln') return { content: [{ type: 'text', text: 'sonnig' }] };
    if (name === 'query') return { content: [{ type: 'text', text: `ran in ${args.region}` }] };
    if (name === 'confirm') {
      const answer = inputResponses?.confirm?.content?.ok;
      if (requestState === 'asked' && answer !== undefined) return { resultType: 'complete', content: [{ type: 'text', text: `confirmed: ${answer}` }] };
      return {
        resultType: 'input_required',
        inputRequests: { confirm: { method: 'elicitation/create', params: { message: 'Go ahead?', requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } } } },
        requestState: 'asked',
      };
    }
    if (name === 'slow') {
      const taskId = `task-${++taskCount}-${Math.random().toString(36).slice(2)}`;
      tasks.set(taskId, { status: 'input_required' });
      return { resultType: 'task', task: { taskId, status: 'working', ttlMs: 60_000, pollIntervalMs: 50 } };
    }
    throw Object.assign(new Error(`unknown tool ${name}`), { code: -32602 });
  }

  function answer(msg: Json): Json {
    const p = msg.params ?? {};
    switch (msg.method) {
      case 'initialize':
        return { protocolVersion: '2025-11-25', capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'modern-test-server', version: '1.0.0' } };
      case 'server/discover':
        return { resultType: 'complete', supportedVersions: [VERSION], capabilities: { tools: { listChanged: true }, extensions: { 'io.modelcontextprotocol/tasks': {} } }, _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'modern-test-server', version: '1.0.0' } }, ...caching };
      case 'ping':
        return {};
      case 'tools/list':
        return { resultType: 'complete', tools: MODERN_TOOLS, ...caching };
      case 'tools/call':
        return callTool(msg);
      case 'tasks/get': {
        const task = tasks.get(p.taskId);
        if (!task) throw Object.assign(new Error(`unknown task ${p.taskId}`), { code: -32602 });
        return { taskId: p.taskId, status: task.status, ...(task.status === 'input_required' ? { inputRequests: { go: { method: 'elicitation/create', params: { message: 'Start?' } } } } : {}), ...(task.result ? { result: task.result } : {}) };
      }
      case 'tasks/update': {
        const task = tasks.get(p.taskId);
        if (!task) throw Object.assign(new Error(`unknown task ${p.taskId}`), { code: -32602 });
        Object.assign(task, { status: 'completed', input: p.inputResponses, result: { content: [{ type: 'text', text: `task done with ${JSON.stringify(p.inputResponses)}` }] } });
        return {};
      }
      case 'tasks/cancel': {
        const task = tasks.get(p.taskId);
        if (!task) throw Object.assign(new Error(`unknown task ${p.taskId}`), { code: -32602 });
        task.status = 'cancelled';
        return { taskId: p.taskId, status: 'cancelled' };
      }
      default:
        throw Object.assign(new Error('Method not found'), { code: -32601 });
    }
  }

  function listen(res: ServerResponse, msg: Json): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const wanted = msg.params?.notifications ?? {};
    const meta = { 'io.modelcontextprotocol/subscriptionId': msg.id };
    res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { _meta: meta, notifications: { toolsListChanged: wanted.toolsListChanged === true } } })}\n\n`);
    const entry = { res, id: msg.id, tools: wanted.toolsListChanged === true };
    listeners.add(entry);
    res.on('close', () => listeners.delete(entry));
  }

  const http: Server = createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      let msg: Json;
      try {
        msg = JSON.parse(text);
      } catch {
        return send(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      const version = req.headers['mcp-protocol-version'];
      if (version !== undefined && version !== VERSION && version !== '2025-11-25' && version !== '2025-06-18' && version !== '2025-03-26') {
        return send(res, 400, { jsonrpc: '2.0', id: msg.id ?? null, error: { code: -32022, message: 'Unsupported protocol version', data: { supported: [VERSION, '2025-11-25'], requested: version } } });
      }
      const problem = headerProblem(req, msg);
      if (problem) return send(res, 400, { jsonrpc: '2.0', id: msg.id ?? null, error: { code: -32020, message: `Header mismatch: ${problem}` } });
      if (msg.id === undefined) return void res.writeHead(202).end();
      received.push({ method: msg.method, headers: req.headers, params: msg.params ?? {} });
      if (msg.method === 'subscriptions/listen') return listen(res, msg);
      try {
        send(res, 200, { jsonrpc: '2.0', id: msg.id, result: answer(msg) });
      } catch (err) {
        const code = (err as { code?: number }).code ?? -32603;
        send(res, code === -32601 && version === VERSION ? 404 : 200, { jsonrpc: '2.0', id: msg.id, error: { code, message: (err as Error).message } });
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    received,
    toolsChanged() {
      for (const l of listeners) {
        if (l.tools) l.res.write(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { 'io.modelcontextprotocol/subscriptionId': l.id } } })}\n\n`);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const l of listeners) l.res.end();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
