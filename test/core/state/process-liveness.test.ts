// Whether a pid is alive: one rule for up/down, status and the file locks; zombies are dead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { isPidAlive } from '../../../src/core/state/process-liveness.js';
import { readGatewayProcesses } from '../../../src/core/state/health-gateway-processes.js';
import { eventually } from '../../helpers/eventually.js';

test('a running process is alive; an exited child its parent never reaps (a zombie) is not', async (t) => {
  // sh starts a short sleep in the background, then becomes a long sleep that never waits for it.
  const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => parent.kill('SIGKILL'));
  const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
  const orphan = Number(line.toString().trim());
  assert.equal(isPidAlive(parent.pid!), true);
  assert.equal(isPidAlive(orphan), true, 'alive while it sleeps');
  await eventually(async () => assert.equal(isPidAlive(orphan), false, 'a zombie is not alive'));
  assert.doesNotThrow(() => process.kill(orphan, 0), 'the zombie still answers signal 0 — the case the rule exists for');
});

test('nonsense pids are not alive', () => {
  for (const pid of [0, -1, 1.5, Number.NaN]) assert.equal(isPidAlive(pid), false, String(pid));
});

test('status reads processes.json with the same rule', async () => {
  const { mkdtemp, writeFile, mkdir, rm } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { stateLayout } = await import('../../../src/core/state/layout.js');
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-pid-'));
  try {
    const layout = stateLayout(dir);
    await mkdir(join(layout.processesFile, '..'), { recursive: true });
    await writeFile(layout.processesFile, JSON.stringify({ me: { pid: process.pid, startedAt: '', log: '' }, gone: { pid: 0, startedAt: '', log: '' } }));
    const seen = await readGatewayProcesses(layout);
    assert.deepEqual(seen?.map((p) => [p.name, p.alive]), [['gone', false], ['me', true]]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
