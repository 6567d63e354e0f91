// freePort across processes: test files run in parallel processes, and no two of them may ever
// be handed the same port; a process's block is free again once it ends, however it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TSX } from '../../testkit/cli.js';
import { freePort, portIsFree } from '../../testkit/ports.js';

const PORTS = join(REPO_ROOT, 'testkit', 'ports.ts');
/** A process that takes `n` ports, prints them, and ends (or waits to be killed, holding its block). */
const taker = (n: number, hold: boolean) =>
  `const { freePort } = await import(${JSON.stringify(PORTS)}); const ports = []; for (let i = 0; i < ${n}; i++) ports.push(await freePort()); console.log(JSON.stringify(ports));${hold ? ' setInterval(() => {}, 1000);' : ''}`;

function run(code: string): Promise<number[]> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', TSX, '--input-type=module', '-e', code], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout)))),
  );
}

test('processes taking ports at the same time never get the same one, and none is a default of mcpgw', async () => {
  const mine = [await freePort(), await freePort()];
  const theirs = await Promise.all(Array.from({ length: 6 }, () => run(taker(40, false))));
  const all = [...mine, ...theirs.flat()];
  assert.equal(new Set(all).size, all.length, 'every port handed out once');
  for (const port of all) {
    assert.ok(port >= 10_000 && port < 32_768, `${port} lies below the ephemeral range, far from 2019 and 8080–8084`);
    assert.ok(await portIsFree(port), `${port} is not held by anyone but its consumer`);
  }
});

test('a process\'s block is held while it runs and free once it is killed', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--import', TSX, '--input-type=module', '-e', taker(1, true)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = await new Promise<number[]>((resolve) => child.stdout!.once('data', (d) => resolve(JSON.parse(String(d)))));
  const guard = port! - 1; // the first port handed out follows the block's guard port
  assert.equal(await portIsFree(guard), false, 'the running process holds its block');
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  assert.equal(await portIsFree(guard), true, 'the kernel released the block with the process');
});
