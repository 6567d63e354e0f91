#!/usr/bin/env node
// `npm run setup`: everything a fresh Debian/Ubuntu machine needs, then the build. Caddy (to run
// the gateway) is installed from the OS packages when missing and allowed (root, or sudo
// without a password); otherwise setup stops and prints the exact command. What only `npm
// test` needs (Chromium for the browser tests, tmux for the terminal tests, Redis and
// Prometheus for the limit and metrics tests) is installed the
// same way, or named. `--check` only reports (what `npm test` runs first); `--no-npm` skips
// `npm ci` and the build. Exit codes: 0 ready, 1 something is missing (the command is printed).
import { spawnSync } from 'node:child_process';

const args = new Set(process.argv.slice(2));
const checkOnly = args.has('--check');
const forTests = !args.has('--run-only');

/** What mcpgw runs, and what its tests start: the command to look for, and the Debian package. */
const NEEDS = [
  { command: 'caddy', pkg: 'caddy', why: 'the gateway (mcpgw up)', required: true },
  { command: 'chromium', pkg: 'chromium', why: 'the web UI tests (npm test)', required: forTests },
  { command: 'tmux', pkg: 'tmux', why: 'the terminal tests (npm test)', required: forTests },
  { command: 'redis-server', pkg: 'redis-server', why: 'the shared rate-limit tests (npm test)', required: forTests },
  { command: 'prometheus', pkg: 'prometheus', why: 'the metrics scrape test (npm test)', required: forTests },
];

const say = (line) => process.stderr.write(`setup: ${line}\n`);
const found = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const run = (command, argv, options = {}) => spawnSync(command, argv, { stdio: 'inherit', ...options }).status === 0;

/** How this user may install OS packages: directly (root), through sudo without a prompt, or not at all. */
function installer() {
  if (!found('apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  if (found('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0) return ['sudo', '-n'];
  return undefined;
}

function install(packages) {
  const via = installer();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (...rest) => (via.length ? run(via[0], [...via.slice(1), 'apt-get', ...rest], { env }) : run('apt-get', rest, { env }));
  say(`installing ${packages.join(', ')} from the OS packages (apt-get)`);
  // --no-install-recommends is not used: Debian's chromium needs its recommended fonts.
  return aptGet('update', '-qq') && aptGet('install', '-y', '-qq', ...packages);
}

const missing = NEEDS.filter((n) => n.required && !found(n.command));
if (missing.length && !checkOnly) {
  if (installer()) {
    if (!install(missing.map((n) => n.pkg))) say('apt-get failed (see above)');
  }
}
const still = NEEDS.filter((n) => n.required && !found(n.command));
if (still.length) {
  const command = `sudo apt-get install -y ${still.map((n) => n.pkg).join(' ')}`;
  for (const n of still) say(`missing: ${n.command} — needed for ${n.why}`);
  if (!found('apt-get')) say(`this machine has no apt-get: install ${still.map((n) => n.pkg).join(', ')} with its package manager (Caddy 2.6 or later), then run setup again`);
  else say(`run this, then \`npm run setup\` again:\n  ${command}`);
  process.exit(1);
}
if (checkOnly) process.exit(0);
if (!args.has('--no-npm')) {
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) process.exit(1);
  if (!run('npm', ['run', 'build'])) process.exit(1);
}
const caddy = spawnSync('caddy', ['version'], { encoding: 'utf8' }).stdout.trim();
say(`ready: Caddy ${caddy.split(' ')[0]}${forTests ? ', chromium, tmux, redis-server and prometheus for the tests' : ''} — next: npx mcpgw up`);
