// The edge between client and upstream, through real Caddy and real authd (issue 12): bodies
// over the limit get 413 and reach nobody, identity headers in underscore spelling never reach
// an upstream, pretty-printed (CR/LF) JSON is decided by authd instead of failing in Caddy, and
// a service's traffic stays under its upstream URL's path on an upstream other services share.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { startHeaderEcho } from '../../../testkit/header-echo.js';
import { FORECAST_SCOPES } from './forecast-scopes.js';

const LIMIT = 1000;

interface RawAnswer {
  status: number;
  body: string;
}

/** One HTTP request exactly as given (header spellings kept, chunked when `chunked`). */
function raw(url: string, headers: Record<string, string>, body: string, chunked = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const all = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers, ...(chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }) };
    // node:http sends the path as written (fetch would fold `..` before sending).
    const { origin, pathname, search } = { origin: new URL(url).origin, pathname: url.slice(new URL(url).origin.length).split('?')[0]!, search: url.includes('?') ? `?${url.split('?')[1]}` : '' };
    const req = request(origin, { method: 'POST', path: `${pathname}${search}`, headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    if (chunked) {
      // Several chunks, so the length is known to nobody in advance.
      for (let i = 0; i < body.length; i += 300) req.write(body.slice(i, i + 300));
      req.end();
    } else req.end(body);
  });
}

const toolCall = (tool: string, pad = 0) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { pad: 'x'.repeat(pad) } } });

describe('the gateway edge (real Caddy, real authd)', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  let echo: Awaited<ReturnType<typeof startHeaderEcho>>;
  let key: string;

  before(async () => {
    echo = await startHeaderEcho();
    gw = await startTestGateway({
      services: {
        echo: `upstream: ${echo.url}\nlimits: { max_body_bytes: ${LIMIT} }\n`,
        open: `upstream: ${echo.url}\nauth: none\nlimits: { max_body_bytes: ${LIMIT} }\n`,
        // Two services on one upstream host:port: echo at <origin>/mcp, vault at <origin>/internal/mcp.
        vault: `upstream: ${new URL(echo.url).origin}/internal/mcp\n`,
      },
      scopes: FORECAST_SCOPES, // (nobody is granted vault)
      apiKeys: { ci: ['devs'] },
    });
    key = gw.keys.ci!;
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await Promise.allSettled([gw?.close(), echo?.close()]);
  });

  const seen = () => {
    const last = echo.last();
    return last ? `${last.url} ${JSON.stringify(last.headers)}` : undefined;
  };

  test('a body over limits.max_body_bytes gets 413 and reaches nobody, with Content-Length and chunked, auth: none too', async () => {
    const big = toolCall('get_forecast', 2 * LIMIT);
    for (const [path, headers] of [['/echo/mcp', { authorization: `Bearer ${key}` }], ['/open/mcp', {}]] as const) {
      for (const chunked of [false, true]) {
        const before = seen();
        const res = await raw(`${gw.url}${path}`, headers, big, chunked);
        assert.equal(res.status, 413, `${path} chunked=${chunked}: ${res.body}`);
        const rpc = JSON.parse(res.body) as { jsonrpc: string; error: { code: number; data: { code: string; limit: number } } };
        assert.equal(rpc.error.data.code, 'ERR_BODY_TOO_LARGE');
        assert.equal(rpc.error.data.limit, LIMIT);
        assert.equal(seen(), before, `${path} chunked=${chunked}: the upstream was not reached`);
      }
    }
    // Exactly the limit still passes, whole.
    const fits = toolCall('get_forecast', 0);
    const exact = fits.replace('"pad":""', `"pad":"${'x'.repeat(LIMIT - Buffer.byteLength(fits))}"`);
    assert.equal(Buffer.byteLength(exact), LIMIT);
    for (const chunked of [false, true]) {
      const res = await raw(`${gw.url}/echo/mcp`, { authorization: `Bearer ${key}` }, exact, chunked);
      assert.equal(res.status, 200, res.body);
      assert.equal((JSON.parse(res.body) as { result: { body: string } }).result.body, exact, 'the upstream got the whole body');
    }
  });

  test('identity headers in underscore or mixed spelling never reach the upstream', async () => {
    const forged = Buffer.from(JSON.stringify({ subject: 'root', kind: 'oidc', groups: ['admins'], scopes: [] })).toString('base64url');
    const spellings = {
      X_User: 'root',
      X_Groups: 'admins',
      X_Scopes: 'admin',
      X_Mcpgw_Service: 'other',
      X_Mcpgw_Identity: forged,
      'X-Mcpgw_Identity': forged,
      'x_mcpgw-identity': forged,
      'X-USER': 'root',
    };
    for (const [path, headers] of [['/echo/mcp', { authorization: `Bearer ${key}` }], ['/open/mcp', {}]] as const) {
      const res = await raw(`${gw.url}${path}`, { ...headers, ...spellings }, toolCall('get_forecast'));
      assert.equal(res.status, 200, res.body);
      const received = Object.keys(echo.last()!.headers).map((h) => h.toLowerCase().replace(/_/g, '-'));
      for (const name of ['x-user', 'x-groups', 'x-scopes', 'x-mcpgw-service']) assert.ok(!received.includes(name), `${path}: ${name} (any spelling) was stripped: ${received.join(', ')}`);
      const identity = echo.last()!.headers['x-mcpgw-identity'];
      if (path === '/open/mcp') assert.equal(identity, undefined, 'auth: none forwards no identity');
      else assert.notEqual(identity, forged, "authd's identity, not the forged one");
      assert.equal(received.filter((h) => h === 'x-mcpgw-identity').length, path === '/open/mcp' ? 0 : 1);
    }
  });

  test('pretty-printed and CRLF JSON is decided by authd (allowed and denied), and reaches the upstream unchanged', async () => {
    const pretty = JSON.stringify(JSON.parse(toolCall('get_forecast')), null, 2);
    const allowed = await raw(`${gw.url}/echo/mcp`, { authorization: `Bearer ${key}` }, pretty);
    assert.equal(allowed.status, 200, allowed.body);
    assert.equal((JSON.parse(allowed.body) as { result: { body: string } }).result.body, pretty);
    const crlf = JSON.stringify(JSON.parse(toolCall('delete_everything')), null, 2).replace(/\n/g, '\r\n');
    const before = seen();
    const denied = await raw(`${gw.url}/echo/mcp`, { authorization: `Bearer ${key}` }, crlf);
    assert.equal(denied.status, 403, denied.body);
    assert.equal((JSON.parse(denied.body) as { error: { data: { missing: string } } }).error.data.missing, 'tools/call echo:delete_everything');
    assert.equal(seen(), before);
    // A raw control byte is not JSON at all: a JSON-RPC parse error from authd, not a 502.
    const control = toolCall('get_forecast').replace('get_forecast', 'get_\u0001forecast');
    const bad = await raw(`${gw.url}/echo/mcp`, { authorization: `Bearer ${key}` }, control);
    assert.equal(bad.status, 400, bad.body);
    assert.equal((JSON.parse(bad.body) as { error: { code: number } }).error.code, -32700);
  });

  test("a service's traffic stays under its upstream URL's path: another service's path on the same upstream is not reachable", async () => {
    const allowed = await raw(`${gw.url}/echo/mcp`, { authorization: `Bearer ${key}` }, toolCall('get_forecast'));
    assert.equal(allowed.status, 200);
    assert.equal(echo.last()!.url, '/mcp');
    const attempts = ['/echo/internal/mcp', '/echo', '/echo/', '/echo/mcp/../internal/mcp', '/echo/mcp/%2e%2e/internal/mcp', '/echo/mcp/..%2finternal%2fmcp', '/echo/MCP/../internal/mcp', '/echo//internal/mcp', '/echo/./internal/mcp'];
    for (const path of attempts) {
      const before = seen();
      const res = await raw(`${gw.url}${path}`, { authorization: `Bearer ${key}` }, toolCall('get_forecast'));
      assert.equal(res.status, 404, `${path}: ${res.body}`);
      assert.equal((JSON.parse(res.body) as { error: string }).error, 'outside_service_path', path);
      assert.equal(seen(), before, `${path} reached no upstream`);
    }
    assert.equal((await raw(`${gw.url}/echo/mcp/`, { authorization: `Bearer ${key}` }, toolCall('get_forecast'))).status, 200, 'below the upstream path is fine');
  });
});
