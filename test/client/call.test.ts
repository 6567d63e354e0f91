// `mcpgw call` and `mcpgw tools list` through a real gateway (Caddy, authd, server-everything):
// the caller's API key decides, authd's refusals keep their meaning in the exit code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from '../../testkit/gateway.js';
import { startEverything, type RunningServer } from '../../testkit/mcp-servers.js';
import { runCli } from '../../testkit/cli.js';

describe('mcpgw call / tools list through the gateway (real Caddy, authd, server-everything)', () => {
  let gw: TestGateway;
  let everything: RunningServer;
  let key: string;
  let noLogin: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: gw.dir, env: { MCPGW_CONFIG_DIR: noLogin, MCPGW_TOKEN: '', ...env }, timeoutMs: 120_000 });

  before(async () => {
    everything = await startEverything('streamableHttp');
    gw = await startTestGateway();
    noLogin = await mkdtemp(join(tmpdir(), 'mcpgw-nologin-'));
    await gw.writeService('everything', `upstream: ${everything.url}\nhealth: { enabled: false }\n`);
    await writeFile(join(gw.dir, 'scopes.yml'), 'groups:\n  devs: [echo-only]\nscopes:\n  echo-only:\n    servers:\n      everything: { tools: [echo] }\n');
    const created = await gw.cli('keys', 'create', '--name', 'me', '--group', 'devs', '--quiet');
    assert.equal(created.code, 0, created.stderr);
    key = created.stdout.trim();
    const applied = await gw.cli('apply');
    assert.equal(applied.code, 0, applied.stderr);
  });
  after(async () => {
    await gw?.close();
    await everything?.stop();
    await rm(noLogin, { recursive: true, force: true });
  });

  test('call with --key and --arg prints the tool answer; --json gives the arguments and the envelope', async () => {
    const text = await cli(['call', 'everything', 'echo', '--arg', 'message=hello gateway', '--key', key]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /hello gateway/);
    const json = await cli(['call', 'everything', 'echo', '--json', '{"message":"as json"}'], { MCPGW_TOKEN: key });
    assert.equal(json.code, 0, json.stderr);
    const envelope = JSON.parse(json.stdout);
    assert.equal(envelope.ok, true);
    assert.match(envelope.data.content[0].text, /as json/);
  });

  test('a tool outside the caller\'s scopes is denied by authd: exit 4 with the gateway\'s reason', async () => {
    const r = await cli(['call', 'everything', 'get-sum', '--arg', 'a=2', '--arg', 'b=3', '--key', key, '--json']);
    assert.equal(r.code, 4, r.stderr);
    const envelope = JSON.parse(r.stdout);
    assert.equal(envelope.ok, false);
    assert.equal(envelope.data.status, 403);
    assert.match(envelope.error.message, /403/);
    assert.match(envelope.error.hint, /scopes.yml/);
  });

  test('no credential is exit 4 naming --key, MCPGW_TOKEN and login; a wrong key is exit 4 (401)', async () => {
    const none = await cli(['call', 'everything', 'echo', '--arg', 'message=x']);
    assert.equal(none.code, 4, none.stderr);
    assert.match(none.stderr, /--key .*MCPGW_TOKEN.*mcpgw login/);
    const wrong = await cli(['call', 'everything', 'echo', '--arg', 'message=x', '--key', 'mcpgw_000000000000_not-a-key']);
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.match(wrong.stderr, /401/);
  });

  test('bad input is exit 1 before anything is sent: unknown service, --arg without =, arguments not a JSON object', async () => {
    assert.equal((await cli(['call', 'nope', 'echo', '--key', key])).code, 1);
    assert.equal((await cli(['call', 'everything', 'echo', '--arg', 'message', '--key', key])).code, 1);
    const notObject = await cli(['call', 'everything', 'echo', '--json', '[1]', '--key', key]);
    assert.equal(notObject.code, 1);
    assert.equal(JSON.parse(notObject.stdout).error.code, 'ERR_BAD_ARGUMENTS');
  });

  test('tools list shows the tools the service offers through the gateway', async () => {
    const table = await cli(['tools', 'list', 'everything', '--key', key]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^TOOL\s+DESCRIPTION/m);
    assert.match(table.stdout, /^echo\s+/m);
    const json = JSON.parse((await cli(['tools', 'list', 'everything', '--json'], { MCPGW_TOKEN: key })).stdout);
    assert.equal(json.data.service, 'everything');
    assert.ok(json.data.tools.some((t: { name: string; inputSchema: unknown }) => t.name === 'echo' && t.inputSchema));
    assert.equal(json.data.url, `${gw.url}/everything/mcp`);
  });
});
