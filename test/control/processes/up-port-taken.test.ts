// `mcpgw up` is honest about its children (issue 14 item 5): a daemon that cannot bind because
// another process holds its port is a failed start — with the log excerpt — not "running".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempProject } from '../../../testkit/cli.js';
import { freePort } from '../../../testkit/ports.js';
import { isPidAlive } from '../../../src/core/state/process-liveness.js';

test('up fails (exit 2) when authd\'s port is taken by another process, names it, and stops what it started', { timeout: 240_000 }, async (t) => {
  const project = await tempProject();
  // The squatter answers every request, as a stale daemon of another checkout would.
  const squatter = createServer((_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const taken = (squatter.address() as { port: number }).port;
  t.after(async () => {
    await runCli(['down'], { cwd: project.dir });
    squatter.close();
    await project.cleanup();
  });
  const [gateway, admin, registry, host, web] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  await writeFile(
    join(project.dir, 'mcpgw.yaml'),
    `gateway: { listen: 127.0.0.1:${gateway} }\ncaddy: { admin: 127.0.0.1:${admin} }\nauthd: { listen: 127.0.0.1:${taken} }\nregistry_server: { listen: 127.0.0.1:${registry} }\nstdio_host: { listen: 127.0.0.1:${host} }\nweb: { listen: 127.0.0.1:${web} }\n`,
  );
  await mkdir(join(project.dir, 'registry.d'), { recursive: true });

  // Remember Caddy's pid from the moment it is recorded, to check it is gone afterwards.
  const processesFile = join(project.dir, '.mcpgw', 'run', 'processes.json');
  const seen = new Set<number>();
  const watcher = setInterval(() => void readFile(processesFile, 'utf8').then((t) => Object.values(JSON.parse(t) as Record<string, { pid: number }>).forEach((r) => seen.add(r.pid)), () => {}), 50);
  const up = await runCli(['up', '--json'], { cwd: project.dir, timeoutMs: 180_000 });
  clearInterval(watcher);
  assert.equal(up.code, 2, up.stderr);
  const envelope = JSON.parse(up.stdout);
  assert.equal(envelope.error.code, 'ERR_PROCESS_START');
  assert.match(envelope.error.message, new RegExp(`authd exited during start-up .*127\\.0\\.0\\.1:${taken} is already in use|another process answers at 127\\.0\\.0\\.1:${taken}`));
  assert.match(envelope.error.message, /EADDRINUSE/, 'the log excerpt shows why');
  assert.match(envelope.error.hint, /mcpgw\.yaml/);
  assert.ok(seen.size >= 1, 'caddy was started first');
  for (const pid of seen) assert.ok(!isPidAlive(pid), `pid ${pid} that up started is stopped`);
  await assert.rejects(access(processesFile), 'nothing is recorded as running');
  const status = await runCli(['status'], { cwd: project.dir });
  assert.match(status.stdout, /gateway: not running/);
});
