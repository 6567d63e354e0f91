// Tests never touch a Caddy they did not start: with a Caddy of "the developer's own" on the
// default admin address 127.0.0.1:2019 and serving :8080, the CLI flows the tests run and whole
// test files of them (register/enable/disable, a harness gateway, `mcpgw up`/`down`) leave its
// config byte for byte as it was, and no other listener joins its addresses. It starts that
// Caddy only where nothing listens; otherwise it skips, saying why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { CaddyAddressTakenError, startCaddy } from '../../testkit/caddy.js';
import { checkoutWith, REPO_ROOT, runCli, TSX } from '../../testkit/cli.js';
import { portIsFree } from '../../testkit/ports.js';
import { DEFAULT_LISTEN } from '../../src/core/wire/contract.js';

const ADMIN_PORT = Number(DEFAULT_LISTEN.caddyAdmin.split(':')[1]);
const GATEWAY_PORT = Number(DEFAULT_LISTEN.gateway.split(':')[1]);
/** Held while the stand-in runs: two runs of this file (two checkouts on one machine) never both start one (Caddy shares ports by SO_REUSEPORT). */
const RUN_LOCK_PORT = 9019;
/** Test files that run the flows most likely to reach a default address, each against its own parts. */
const FILES = ['test/cli/registry.test.ts', 'test/control/caddy/gateway.test.ts', 'test/control/processes/stdio-through-gateway.test.ts'];

/** How many sockets listen on this TCP port, any address (/proc/net/tcp and tcp6: state 0A). */
async function listeners(port: number): Promise<number> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local?.endsWith(hex) && state === '0A') count++;
    }
  }
  return count;
}

function holdRunLock(): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen({ port: RUN_LOCK_PORT, host: '127.0.0.1', exclusive: true }, () => resolve(srv));
  });
}

const rawConfig = async () => {
  const res = await fetch(`http://${DEFAULT_LISTEN.caddyAdmin}/config/`);
  return { bytes: Buffer.from(await res.arrayBuffer()).toString('base64'), etag: res.headers.get('etag') };
};

const lock = await holdRunLock();
const taken = !(await portIsFree(ADMIN_PORT, '127.0.0.1')) || !(await portIsFree(GATEWAY_PORT, '0.0.0.0'));
const skip = !lock
  ? `127.0.0.1:${RUN_LOCK_PORT} is held: another run of this test is going on here`
  : taken
    ? `127.0.0.1:${ADMIN_PORT} or :${GATEWAY_PORT} is in use here, so no stand-in Caddy can stand there (this test never touches a listener it did not start; stop what listens, then run this file again)`
    : false;
if (skip) lock?.close();

test('a Caddy on the default addresses keeps its config byte for byte through the tests\' CLI flows, a harness gateway test and mcpgw up/down', { skip, timeout: 900_000 }, async (t) => {
  t.after(() => lock?.close());
  const marker = `the developer's own Caddy ${randomUUID()}`;
  const own = await startCaddy({}, {
    admin: DEFAULT_LISTEN.caddyAdmin,
    apps: { http: { servers: { own: { listen: [`:${GATEWAY_PORT}`], routes: [{ handle: [{ handler: 'static_response', body: marker }] }] } } } },
  }).catch((err) => {
    if (err instanceof CaddyAddressTakenError) return undefined; // something took an address since the check
    throw err;
  });
  if (!own) return t.skip(`127.0.0.1:${ADMIN_PORT} or :${GATEWAY_PORT} was taken between the check and the start`);
  t.after(() => own.stop());
  assert.deepEqual([await listeners(ADMIN_PORT), await listeners(GATEWAY_PORT)], [1, 1], 'only the stand-in listens on the default addresses');
  const before = await rawConfig();

  // The flows the tests run in a checkout of their own (no caddy section of its own).
  const checkout = await checkoutWith({ 'mcpgw.yaml': 'search: { embedder: none }\n' });
  t.after(checkout.cleanup);
  for (const args of [['register', '--name', 'weather', '--upstream', 'http://127.0.0.1:9/mcp'], ['disable', 'weather'], ['enable', 'weather'], ['apply'], ['status'], ['remove', 'weather']]) {
    await runCli(args, { cwd: checkout.dir });
  }

  // Whole test files, as `npm test` runs them. Without NODE_TEST_CONTEXT: a `node --test` that
  // inherits it from this file's runner reports to that runner instead and runs nothing of its own.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, ['--import', TSX, '--test', '--test-concurrency=1', '--test-reporter=tap', ...FILES.map((f) => join(REPO_ROOT, f))], { cwd: REPO_ROOT, env, timeout: 840_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
  // What is checked here is the stand-in, not those files' own verdicts (`npm test` runs each
  // of them on its own too, and a timing flake of theirs under this nested load is theirs): the
  // nested run must have really run them — most of their tests passing against their own Caddy.
  const passed = Number(/^# pass (\d+)$/m.exec(run.out)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)$/m.exec(run.out)?.[1] ?? 0);
  assert.ok(passed >= 20 && failed <= 2, `the test files ran (exit ${run.code}, ${passed} passed, ${failed} failed): ${run.out.slice(-2000)}`);

  assert.deepEqual([await listeners(ADMIN_PORT), await listeners(GATEWAY_PORT)], [1, 1], 'no other listener joined the default addresses (a Caddy started on them shares the port by SO_REUSEPORT)');
  const after = await rawConfig();
  assert.equal(after.bytes, before.bytes, `the stand-in's config changed: ${Buffer.from(after.bytes, 'base64').toString()}`);
  assert.equal(after.etag, before.etag);
  assert.equal(await (await fetch(`http://127.0.0.1:${GATEWAY_PORT}/`)).text(), marker);
});
