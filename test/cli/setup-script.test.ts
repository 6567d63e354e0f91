// `npm run setup` on a machine without Caddy, Chromium, tmux, Redis and Prometheus (issue 14 item 1). apt-get is a
// mock here (named so): installing real packages would disturb everything else running on
// this machine. The mock records what it was asked and "installs" stand-in commands, so the
// script's decisions — install when it may, else print the exact command — are what is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../testkit/cli.js';

/** A PATH with only sh, node and (optionally) a mock apt-get that records its calls in calls.log. */
async function bareMachine(options: { aptGet: boolean }): Promise<{ dir: string; bin: string; calls(): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-setup-'));
  const bin = join(dir, 'bin');
  await spawnSync('mkdir', [bin]);
  await symlink('/bin/sh', join(bin, 'sh'));
  await symlink(process.execPath, join(bin, 'node'));
  await copyFile(join(REPO_ROOT, 'scripts', 'setup.mjs'), join(dir, 'setup.mjs'));
  await chmod(dir, 0o777);
  if (options.aptGet) {
    // The mock: `install` creates each package's command (caddy answers `caddy version`).
    await writeFile(
      join(bin, 'apt-get'),
      `#!/bin/sh\necho "$@" >> ${dir}/calls.log\nif [ "$1" = install ]; then\n  for p in "$@"; do case "$p" in -*|install) ;; *) printf '#!/bin/sh\\necho v2.6.2 h1:mock\\n' > ${bin}/$p; /bin/chmod 755 ${bin}/$p;; esac; done\nfi\n`,
      { mode: 0o755 },
    );
  }
  return { dir, bin, calls: () => readFile(join(dir, 'calls.log'), 'utf8').catch(() => ''), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function setup(machine: { dir: string; bin: string }, args: string[], asUser?: number) {
  const argv = [join(machine.dir, 'setup.mjs'), ...args];
  const env = { PATH: machine.bin, HOME: machine.dir };
  const run = asUser === undefined ? spawnSync(process.execPath, argv, { env, encoding: 'utf8' }) : spawnSync('/usr/bin/setpriv', [`--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', process.execPath, ...argv], { env, encoding: 'utf8' });
  return { code: run.status, stderr: run.stderr };
}

test('setup (mock apt-get) as root installs caddy, chromium, tmux, redis-server and prometheus from the OS packages when they are missing', async (t) => {
  const machine = await bareMachine({ aptGet: true });
  t.after(machine.cleanup);
  const r = setup(machine, ['--no-npm']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await machine.calls()).trim().split('\n'), ['update -qq', 'install -y -qq caddy chromium tmux redis-server prometheus']);
  assert.match(r.stderr, /ready: Caddy v2\.6\.2/);
  // Run again: nothing is missing, nothing is installed.
  const again = setup(machine, ['--no-npm']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((await machine.calls()).trim().split('\n').length, 2);
});

test('setup (mock apt-get) without root or sudo installs nothing and prints the exact command', async (t) => {
  const machine = await bareMachine({ aptGet: true });
  t.after(machine.cleanup);
  const r = setup(machine, ['--no-npm'], 65534);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing: caddy — needed for the gateway/);
  assert.match(r.stderr, /missing: tmux — needed for the terminal tests/);
  assert.match(r.stderr, /run this, then `npm run setup` again:\n {2}sudo apt-get install -y caddy chromium tmux redis-server prometheus\n/);
  assert.equal(await machine.calls(), '', 'apt-get was not run');
});

test('--check (what npm test runs first) names what is missing and installs nothing; no apt-get names the packages', async (t) => {
  const machine = await bareMachine({ aptGet: false });
  t.after(machine.cleanup);
  const r = setup(machine, ['--check']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing: chromium — needed for the web UI tests/);
  assert.match(r.stderr, /no apt-get: install caddy, chromium, tmux, redis-server, prometheus with its package manager/);
});

test('package.json: setup runs the script, npm test checks first; CI runs the same script', async () => {
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.setup, 'node scripts/setup.mjs');
  assert.match(pkg.scripts.test!, /^node scripts\/setup\.mjs --check && /);
  assert.match(await readFile(join(REPO_ROOT, '.ci', 'run'), 'utf8'), /node scripts\/setup\.mjs/);
});
