// Two appliers never silently mix: If-Match makes the second one fail with a clear conflict, and
// one whose push was replaced right after (the other read after it) says so from its read-back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaddyConflictError } from '../../../src/control/caddy/errors.js';
import { canonicalJson } from '../../../src/core/config/canonical-json.js';
import { runCli } from '../../../testkit/cli.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';

describe('concurrent appliers', { timeout: 180_000 }, () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
    await gw.writeService('alpha', 'upstream: http://127.0.0.1:9/mcp\nauth: none\n');
  });
  after(() => gw?.close());

  test('a push with a stale ETag is refused as a conflict and changes nothing', async () => {
    assert.equal((await gw.cli('apply')).code, 0);
    const stale = await gw.caddy.client.getConfig();
    const newer = structuredClone(stale.config!);
    newer.apps.http.servers.mcpgw!.routes.pop();
    await gw.caddy.client.putConfig(newer, stale.etag);
    await assert.rejects(gw.caddy.client.putConfig(stale.config!, stale.etag), (err: unknown) => err instanceof CaddyConflictError && err.code === 'ERR_CADDY_CONFLICT');
    assert.equal(canonicalJson((await gw.caddy.client.getConfig()).config), canonicalJson(newer));
  });

  test('two mcpgw apply runs with different files end with one whole config and, if they overlapped, a clear conflict', async () => {
    const other = await mkdtemp(join(tmpdir(), 'mcpgw-other-'));
    try {
      await cp(gw.dir, other, { recursive: true });
      await gw.writeService('beta', 'upstream: http://127.0.0.1:9/mcp\nauth: none\n');
      const [a, b] = await Promise.all([gw.cli('apply'), runCli(['apply'], { cwd: other, timeoutMs: 120_000 })]);
      for (const r of [a, b]) {
        assert.ok(r.code === 0 || (r.code === 2 && /conflict at .*another apply changed the gateway config|differs from the one pushed \(another applier may have pushed right after\)/.test(r.stderr)), `exit ${r.code}: ${r.stderr}`);
      }
      assert.ok(a.code === 0 || b.code === 0, 'one of them wins');
      const live = canonicalJson((await gw.caddy.client.getConfig()).config);
      const renders = await Promise.all([gw.cli('render'), runCli(['render'], { cwd: other })]);
      const whole = renders.map((r) => JSON.parse(r.stdout)).map((c) => canonicalJson(c));
      assert.ok(whole.includes(live), 'the running config is exactly one of the two, never a mix');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
