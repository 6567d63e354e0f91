// A process that crashes without stopping what it started must not leave it running: the
// children testkit and the benchmarks start are killed when their parent exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { REPO_ROOT, TSX } from '../../testkit/cli.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a child registered with reapOnExit dies when its parent crashes on an uncaught error', async () => {
  const script = [
    `import { spawn } from 'node:child_process';`,
    `import { reapOnExit } from ${JSON.stringify(join(REPO_ROOT, 'testkit', 'reap-on-exit.ts'))};`,
    `const child = reapOnExit(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));`,
    `console.log(child.pid);`,
    `setTimeout(() => { throw new Error('crash') }, 100);`,
  ].join('\n');
  const parent = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  parent.stdout.on('data', (d) => (out += d));
  const [code] = await once(parent, 'exit');
  assert.notEqual(code, 0, 'the parent crashed');
  const pid = Number(out.trim());
  assert.ok(pid > 0, `the parent printed its child's pid: ${out}`);
  // SIGKILL is immediate, but the kernel may take a moment to reap: wait for it, boundedly.
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), false, 'the child was killed with its parent');
});
