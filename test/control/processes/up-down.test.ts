// `mcpgw up` starts Caddy and mcpgw's daemons as recorded processes; `down` stops exactly those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempProject, withPrivateAdmin } from '../../../testkit/cli.js';
import { gatewayCheckout } from '../../../testkit/gateway.js';
import { startEverything } from '../../../testkit/mcp-servers.js';
import type { ProcessesFile } from '../../../src/control/processes/processes-file.js';
import { isPidAlive } from '../../../src/core/state/process-liveness.js';

test('up starts Caddy and the daemons, serves the services, and down stops exactly those processes', { timeout: 240_000 }, async (t) => {
  const upstream = await startEverything('streamableHttp');
  t.after(() => upstream.stop());
  // Whatever happens, leave no process behind: close() runs down and kills what up left.
  const project = await gatewayCheckout({ up: true, services: { everything: `upstream: ${upstream.url}\nauth: none\nhealth: { enabled: false }\n` } });
  t.after(project.close);
  const [gateway, authd] = [project.ports.gateway, project.ports.authd];

  const up = await runCli(['up'], { cwd: project.dir, timeoutMs: 180_000 });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`caddy\\s+pid \\d+\\s+http://127.0.0.1:${gateway}`));
  const processes: ProcessesFile = JSON.parse(await readFile(join(project.dir, '.mcpgw', 'run', 'processes.json'), 'utf8'));
  assert.ok(processes.caddy && processes.authd, `caddy and authd are managed: ${Object.keys(processes).join(', ')}`);
  for (const [name, r] of Object.entries(processes)) {
    assert.ok(isPidAlive(r.pid), `${name} runs after up returned`);
    assert.ok(r.startedAt && r.log.endsWith(`${name}.log`));
  }
  assert.equal(processes.authd!.url, `http://127.0.0.1:${authd}`);

  const res = await fetch(`http://127.0.0.1:${gateway}/everything/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
  });
  assert.equal(res.status, 200, 'the service answers through the gateway `up` started');
  await res.body?.cancel();

  const again = await runCli(['up'], { cwd: project.dir });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already running/);

  const down = await runCli(['down'], { cwd: project.dir, timeoutMs: 60_000 });
  assert.equal(down.code, 0, down.stderr);
  for (const [name, r] of Object.entries(processes)) assert.ok(!isPidAlive(r.pid), `${name} stopped`);
  assert.ok(isPidAlive(upstream.child.pid!), 'a process up did not start keeps running');
  await assert.rejects(access(join(project.dir, '.mcpgw', 'run', 'processes.json')));
});

test('up says how to install Caddy when the binary is missing', async (t) => {
  const project = await tempProject();
  t.after(project.cleanup);
  await writeFile(join(project.dir, 'mcpgw.yaml'), await withPrivateAdmin('caddy: { binary: /nonexistent/caddy }\n'));
  const up = await runCli(['up'], { cwd: project.dir });
  assert.equal(up.code, 2, 'a missing Caddy is a runtime failure');
  assert.match(up.stderr, /apt-get install -y caddy/);
});
