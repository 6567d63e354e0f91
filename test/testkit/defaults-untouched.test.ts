// Tests never touch a Caddy they did not start: with a Caddy of "the developer's own" on the
// default admin address 127.0.0.1:2019 and serving :8080, the CLI flows the tests run (register,
// enable, disable, apply, remove in a test checkout) and a whole test file of them leave its
// config exactly as it was. Skipped, saying why, when those addresses are already taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startCaddy } from '../../testkit/caddy.js';
import { checkoutWith, REPO_ROOT, runCli, TSX } from '../../testkit/cli.js';
import { DEFAULT_LISTEN } from '../../src/core/wire/contract.js';

function free(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

const ADMIN_PORT = Number(DEFAULT_LISTEN.caddyAdmin.split(':')[1]);
const GATEWAY_PORT = Number(DEFAULT_LISTEN.gateway.split(':')[1]);
const busy = !(await free(ADMIN_PORT, '127.0.0.1')) || !(await free(GATEWAY_PORT));
const skip = busy ? `127.0.0.1:${ADMIN_PORT} or :${GATEWAY_PORT} is in use here, so no decoy Caddy can stand there (stop what listens, then run this file again)` : false;

test('a Caddy on the default addresses is left untouched by the tests\' CLI flows and by a test file of them', { skip, timeout: 300_000 }, async (t) => {
  const decoy = await startCaddy({}, {
    admin: DEFAULT_LISTEN.caddyAdmin,
    apps: { http: { servers: { decoy: { listen: [`:${GATEWAY_PORT}`], routes: [{ handle: [{ handler: 'static_response', body: 'the developer\'s own Caddy' }] }] } } } },
  });
  t.after(() => decoy.stop());
  const before = await decoy.client.getConfig();

  // The flows the tests run in a checkout of their own (no caddy section of its own).
  const checkout = await checkoutWith({ 'mcpgw.yaml': 'search: { embedder: none }\n' });
  t.after(checkout.cleanup);
  const flows = [
    ['register', '--name', 'weather', '--upstream', 'http://127.0.0.1:9/mcp'],
    ['disable', 'weather'],
    ['enable', 'weather'],
    ['apply'],
    ['remove', 'weather'],
  ];
  for (const args of flows) await runCli(args, { cwd: checkout.dir });

  // A whole test file of register/enable/disable in fresh checkouts, as `npm test` runs it.
  const file = join(REPO_ROOT, 'test', 'cli', 'registry.test.ts');
  const run = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, ['--import', TSX, '--test', file], { cwd: REPO_ROOT, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  assert.equal(run.code, 0, run.out.slice(-4000));

  const after = await decoy.client.getConfig();
  assert.deepEqual(after.config, before.config, 'the decoy Caddy\'s config changed');
  assert.equal(after.etag, before.etag);
  const served = await fetch(`http://127.0.0.1:${GATEWAY_PORT}/`);
  assert.equal(await served.text(), 'the developer\'s own Caddy');
});
