// `mcpgw up` starts Caddy and mcpgw's daemons as recorded processes; `down` stops exactly those.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempProject, withPrivateAdmin } from '../../../testkit/cli.js';
import { freePort } from '../../../testkit/ports.js';
import { startEverything } from '../../../testkit/mcp-servers.js';
import type { ProcessesFile } from '../../../src/control/processes/processes-file.js';
import { isPidAlive } from '../../../src/core/state/process-liveness.js';

test('up starts Caddy and the daemons, serves the services, and down stops exactly those processes', { timeout: 240_000 }, async (t) => {
  const project = await tempProject();
  const upstream = await startEverything('streamableHttp');
  let processes: ProcessesFile = {};
  t.after(async () => {
    // Whatever happens, leave no process behind.
    await runCli(['down'], { cwd: project.dir });
    for (const r of Object.values(processes)) if (isPidAlive(r.pid)) process.kill(r.pid, 'SIGKILL');
    await upstream.stop();
    await project.cleanup();
  });
  const [gateway, admin, authd, registry, host] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  await writeFile(
    join(project.dir, 'mcpgw.yaml'),
    `gateway: { listen: 127.0.0.1:${gateway} }\ncaddy: { admin: 127.0.0.1:${admin} }\nauthd: { listen: 127.0.0.1:${authd} }\nregistry_server: { listen: 127.0.0.1:${registry} }\nstdio_host: { listen: 127.0.0.1:${host} }\n`,
  );
  await mkdir(join(project.dir, 'registry.d'));
  await writeFile(join(project.dir, 'registry.d', 'everything.yaml'), `name: everything\nupstream: ${upstream.url}\nauth: none\nhealth: { enabled: false }\n`);

  const up = await runCli(['up'], { cwd: project.dir, timeoutMs: 180_000 });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, new RegExp(`caddy\\s+pid \\d+\\s+http://127.0.0.1:${gateway}`));
  processes = JSON.parse(await readFile(join(project.dir, '.mcpgw', 'run', 'processes.json'), 'utf8'));
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
