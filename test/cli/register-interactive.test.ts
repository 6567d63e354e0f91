// `mcpgw register` on a real terminal (tmux): it asks for what the flags left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from '../../testkit/cli.js';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

async function waitForScreen(session: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-t', session);
    if (pattern.test(screen)) return screen;
    if (Date.now() > deadline) throw new Error(`screen never showed ${pattern}:\n${screen}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('register on a terminal prompts for the missing fields and writes a valid file', { skip: !hasTmux && 'tmux is not installed' }, async (t) => {
  const p = await tempProject();
  const session = `mcpgw-${process.pid}`;
  t.after(async () => {
    try {
      tmux('kill-session', '-t', session);
    } catch {}
    await p.cleanup();
  });
  const cli = `${process.execPath} --import ${join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')} ${join(REPO_ROOT, 'src/cli/main.ts')}`;
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', '-c', p.dir, `env -u CI NO_COLOR=1 ${cli} register --name weather; echo EXIT=$?; sleep 30`);
  await waitForScreen(session, /Transport/);
  tmux('send-keys', '-t', session, 'Enter'); // first choice: streamable-http
  await waitForScreen(session, /Upstream URL/);
  tmux('send-keys', '-t', session, '-l', 'not a url');
  tmux('send-keys', '-t', session, 'Enter');
  await waitForScreen(session, /an http\(s\) URL/);
  for (let i = 0; i < 9; i++) tmux('send-keys', '-t', session, 'BSpace');
  tmux('send-keys', '-t', session, '-l', 'http://127.0.0.1:9000/mcp');
  tmux('send-keys', '-t', session, 'Enter');
  await waitForScreen(session, /Description/);
  tmux('send-keys', '-t', session, '-l', 'Forecasts by city');
  tmux('send-keys', '-t', session, 'Enter');
  await waitForScreen(session, /Tags/);
  tmux('send-keys', '-t', session, '-l', 'forecast, weather');
  tmux('send-keys', '-t', session, 'Enter');
  await waitForScreen(session, /EXIT=0/);
  const text = await readFile(join(p.dir, 'registry.d', 'weather.yaml'), 'utf8');
  assert.match(text, /^upstream: http:\/\/127.0.0.1:9000\/mcp$/m);
  assert.match(text, /^transport: streamable-http$/m);
  assert.match(text, /^description: Forecasts by city$/m);
  assert.match(text, /^tags:\n  - forecast\n  - weather$/m);
});
