// Watching the gateway, through real Caddy and authd: a real Prometheus scrapes mcpgw's metrics
// listener, a local OTLP/HTTP receiver gets authd's decision spans, the W3C traceparent reaches
// the upstream, and `mcpgw audit` / `mcpgw usage` answer from the audit trail and access log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createApiKey } from '../../../src/core/identity/api-keys.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { startPrometheus, type RunningPrometheus } from '../../../testkit/prometheus.js';
import { startOtlpReceiver } from '../../helpers/otlp-receiver.js';
import { freePort } from '../../../testkit/ports.js';
import { eventually } from '../../helpers/eventually.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

describe('observability through the gateway', () => {
  let gw: TestGateway;
  let upstream: Awaited<ReturnType<typeof startHeaderEcho>>;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let prometheus: RunningPrometheus | undefined;
  let metricsUrl: string;
  let key: string;

  const call = (tool: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}/echo/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${key}`, ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { text: 'hi' } } }),
    });

  before(async () => {
    otlp = await startOtlpReceiver();
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    gw = await startTestGateway({ settingsYaml: `metrics:\n  listen: 127.0.0.1:${metricsPort}\ntracing:\n  otlp_endpoint: ${otlp.url}\n` });
    upstream = await startHeaderEcho();
    await writeFile(join(gw.dir, 'scopes.yml'), 'groups:\n  agents: [use]\nscopes:\n  use:\n    servers:\n      echo:\n        tools: [echo]\n');
    await gw.writeService('echo', `upstream: ${upstream.url}\ntools:\n  - name: echo\n  - name: add\n`);
    ({ key } = await createApiKey(join(gw.dir, '.mcpgw', 'keys.json'), 'ci-bot', ['agents']));
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
    // authd reloads registry.d and the keys a moment after they change.
    await eventually(async () => assert.equal((await call('echo')).status, 200));
    assert.equal((await call('add')).status, 403, 'add is defined but not granted');
    assert.equal((await call('unlisted-tool-4711')).status, 403, 'a tool no definition names');
    for (let i = 0; i < 3; i++) assert.equal((await call('echo')).status, 200);
  });

  after(async () => {
    await prometheus?.stop();
    await gw?.close();
    await upstream?.close();
    await otlp?.close();
  });

  test('the W3C traceparent reaches the upstream unchanged, and authd exports its decision as a child span over OTLP/HTTP', async () => {
    const traceparent = `00-${TRACE_ID}-${PARENT_SPAN}-01`;
    const res = await call('echo', { traceparent, tracestate: 'vendor=1' });
    assert.equal(res.status, 200);
    assert.equal(upstream.last()?.headers.traceparent, traceparent);
    assert.equal(upstream.last()?.headers.tracestate, 'vendor=1');
    const span = await eventually(async () => {
      const found = otlp.spans.find((s) => s.traceId === TRACE_ID);
      assert.ok(found, `a span of trace ${TRACE_ID}; received ${otlp.spans.length}`);
      return found;
    }, 20_000);
    assert.equal(span.parentSpanId, PARENT_SPAN, "the caller's span is the parent");
    assert.equal(span.name, 'mcpgw.authorize');
    assert.equal(span.attributes['mcpgw.service'], 'echo');
    assert.equal(span.attributes['mcpgw.decision'], 'allow');
    assert.equal(span.resource['service.name'], 'mcpgw-authd');
    assert.match(otlp.contentTypes[0]!, /application\/json/);
    assert.ok(!JSON.stringify(otlp.spans).includes(key), 'no token in any span');
  });

  test('a real Prometheus scrapes the metrics listener: decisions per tool (unknown tools as "other"), upstream requests per service, probe and build info', async () => {
    const text = await (await fetch(metricsUrl)).text();
    assert.match(text, /^# TYPE mcpgw_decisions_total counter$/m);
    assert.match(text, /^mcpgw_build_info\{version="[^"]+",node="v20/m);
    assert.ok(!text.includes('api-key:ci-bot') && !text.includes(key), 'no identity or token in any label');
    assert.ok(!text.includes('unlisted-tool-4711'), 'a tool no definition names is not a label value');
    prometheus = await startPrometheus([new URL(metricsUrl).host]);
    const allowed = await eventually(async () => {
      const r = await prometheus!.query('sum by (tool) (mcpgw_decisions_total{service="echo",decision="allow",method="tools/call"})');
      assert.ok(r.length > 0, 'scraped');
      return r;
    }, 30_000);
    assert.deepEqual(allowed.map((r) => r.metric.tool), ['echo']);
    assert.ok(Number(allowed[0]!.value[1]) >= 4);
    const denied = await prometheus.query('sum by (tool, reason) (mcpgw_decisions_total{service="echo",decision="deny"})');
    assert.deepEqual(denied.map((r) => `${r.metric.tool} ${r.metric.reason}`).sort(), ['add forbidden', 'other forbidden']);
    const upstreamCalls = await eventually(async () => {
      const r = await prometheus!.query('sum by (service, code) (mcpgw_upstream_requests_total{service="echo"})');
      assert.ok(r.length > 0 && Number(r[0]!.value[1]) >= 4, `upstream requests counted from Caddy's access log: ${JSON.stringify(r)}`);
      return r;
    }, 30_000);
    assert.equal(upstreamCalls[0]!.metric.code, '2xx');
    // Over the whole counts (a rate needs two scrapes that differ): the p95 of every call so far.
    const p95 = await prometheus.query('histogram_quantile(0.95, sum by (le, service) (mcpgw_upstream_duration_seconds_bucket))');
    assert.equal(p95[0]?.metric.service, 'echo');
    assert.ok(Number(p95[0]!.value[1]) > 0);
    const tools = await prometheus.query('mcpgw_tools{service="echo"}');
    assert.equal(tools[0]?.value[1], '2');
    const caddy = await prometheus.query('mcpgw_caddy_metrics_up');
    assert.equal(caddy[0]?.value[1], '1', "Caddy's own metrics are passed through");
  });

  test('the audit trail has the request id Caddy logged and never the token; mcpgw audit and mcpgw usage answer from it', async () => {
    const audit = await readFile(join(gw.dir, '.mcpgw', 'audit.jsonl'), 'utf8');
    assert.ok(!audit.includes(key), 'no token in the audit trail');
    const access = await eventually(async () => {
      const text = await readFile(join(gw.dir, '.mcpgw', 'access.jsonl'), 'utf8');
      assert.ok(text.split('\n').filter(Boolean).length >= 4);
      return text;
    });
    assert.ok(!access.includes(key) && !access.toLowerCase().includes('authorization'), 'no headers in the access log');
    const ids = new Set(access.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { user_id: string }).user_id));
    const allowedEntries = audit.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { decision: string; request?: string; trace?: string });
    assert.ok(allowedEntries.filter((e) => e.decision === 'allow').every((e) => e.request && ids.has(e.request)), 'every allowed decision joins an access line');
    assert.ok(allowedEntries.some((e) => e.trace === TRACE_ID), 'the traced request records its trace id');

    const denied = await gw.cli('audit', '--since', '1h', '--decision', 'deny', '--service', 'echo', '--json');
    assert.equal(denied.code, 0, denied.stderr);
    const entries = (JSON.parse(denied.stdout).data as { entries: { tool: string; identity: { subject: string } }[] }).entries;
    assert.ok(Array.isArray(entries), denied.stdout);
    assert.deepEqual(entries.map((e) => e.tool).sort(), ['add', 'unlisted-tool-4711']);
    assert.equal(entries[0]!.identity.subject, 'api-key:ci-bot');
    const table = await gw.cli('audit', '--identity', 'api-key:ci-bot');
    assert.match(table.stdout, /^TIME\s+IDENTITY\s+SERVICE/m);
    assert.match(table.stdout, /deny 403/);

    const usage = await gw.cli('usage', '--since', '1h', '--by', 'tool', '--json');
    assert.equal(usage.code, 0, usage.stderr);
    const rows = (JSON.parse(usage.stdout).data as { rows: { key: string; calls: number; denials: number; errors: number; p50Ms: number | null; p95Ms: number | null }[] }).rows;
    const echo = rows.find((r) => r.key === 'echo/echo')!;
    assert.ok(echo.calls >= 4 && echo.denials === 0 && echo.errors === 0);
    assert.ok(echo.p50Ms !== null && echo.p95Ms !== null && echo.p95Ms >= echo.p50Ms, 'latency from the access log');
    assert.equal(rows.find((r) => r.key === 'echo/add')?.denials, 1);
    const byIdentity = await gw.cli('usage', '--by', 'identity');
    assert.match(byIdentity.stdout, /^api-key:ci-bot\s+\d+\s+2\s+0\s+[\d.]+ ms/m);
    const files = await readdir(join(gw.dir, '.mcpgw'));
    assert.ok(files.includes('access.jsonl') && files.includes('audit.jsonl'));
  });
});
