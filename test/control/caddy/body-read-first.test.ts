// Caddy 2.6 cuts a proxied answer that starts before the request body was sent on (its HTTP/1
// server drains and closes the body once the response starts): every proxy to a backend that
// may carry a body reads it whole first, behind a size limit, through the retry-safe body
// placeholder — never `buffer_requests`, whose pooled buffer a retry can share with another request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadProject } from '../../../src/core/config/project.js';
import { renderCaddyConfig, renderInputOf } from '../../../src/control/caddy/render.js';
import { dialOfListen, READ_BODY_FIRST } from '../../../src/control/caddy/proxy-chain.js';
import type { CaddyHandler, CaddyRoute } from '../../../src/control/caddy/caddy-json.js';
import { REPO_ROOT } from '../../../testkit/cli.js';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'gateway');
/** Reached only by GET and HEAD: an earlier route answers every other method with 405. */
const GET_ONLY = new Set(['mcpgw-registry-api-public']);

const readsBody = (h: CaddyHandler) =>
  JSON.stringify(h) === JSON.stringify(READ_BODY_FIRST) || (h.handler === 'reverse_proxy' && JSON.stringify(h.headers ?? {}).includes('{http.request.body}'));

function* proxies(routes: readonly CaddyRoute[]): Generator<{ route: CaddyRoute; index: number; handler: CaddyHandler }> {
  for (const route of routes) {
    for (const [index, handler] of route.handle.entries()) {
      if (handler.handler === 'reverse_proxy') yield { route, index, handler };
      for (const sub of (handler.routes as CaddyRoute[] | undefined) ?? []) yield* proxies([sub]);
    }
  }
}

test('every proxy to a backend reads the request body whole first, behind a size limit, and none uses buffer_requests', async () => {
  const project = await loadProject(FIXTURE);
  // Several nodes: the session-forwarding routes are rendered too.
  project.settings.node.peers = { n1: '127.0.0.11:18080', n2: '127.0.0.12:18080' };
  const { config } = renderCaddyConfig(renderInputOf(project));
  const routes = config.apps.http.servers.mcpgw!.routes;
  const authd = dialOfListen(project.settings.authd.listen);
  const checked: string[] = [];
  for (const { route, index, handler } of proxies(routes)) {
    assert.equal(handler.buffer_requests, undefined, `${route['@id']}: buffer_requests shares pooled buffers across retries`);
    const dials = (handler.upstreams as { dial: string }[]).map((u) => u.dial);
    if (dials.every((d) => d === authd) || GET_ONLY.has(route['@id'] ?? '')) continue;
    const before = route.handle.slice(0, index);
    assert.ok(before.some(readsBody), `${route['@id']}: the body is read before proxying to ${dials.join(', ')}`);
    assert.ok(before.some((h) => h.handler === 'request_body' && typeof h.max_size === 'number'), `${route['@id']}: a size limit comes first`);
    checked.push(route['@id'] ?? '?');
  }
  for (const id of ['mcpgw-session-forward-n2', 'mcpgw-ui', 'mcpgw-service-memory-header-only', 'mcpgw-service-weather']) {
    assert.ok(checked.includes(id), `${id} was checked; checked: ${checked.join(', ')}`);
  }
});
