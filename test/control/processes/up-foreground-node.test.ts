// `mcpgw up --foreground` as a Kubernetes pod runs it: the checkout and the API keys are mounted
// volumes (the kubelet's ..data symlink layout), the node follows them and applies each change
// to its own Caddy, /livez and /readyz fail when what they promise breaks, SIGTERM exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, readApiKeys } from '../../../src/core/identity/api-keys.js';
import { isPidAlive } from '../../../src/core/state/process-liveness.js';
import type { ProcessesFile } from '../../../src/control/processes/processes-file.js';
import { health, nodeAddresses, nodeSettingsYaml, startNode, waitForHealth, type RunningNode } from '../../../testkit/gateway-node.js';
import { writeVolume } from '../../../testkit/mounted-volume.js';
import { startSdkServer, sampleTool } from '../../../testkit/sdk-server.js';

const SCOPES = 'groups:\n  agents: [tools]\nscopes:\n  tools:\n    servers:\n      "*": { tools: ["*"] }\n';
const service = (name: string, upstream: string, enabled = true) => `name: ${name}\nupstream: ${upstream}\nenabled: ${enabled}\nhealth: { enabled: false }\n`;

async function listTools(gatewayUrl: string, path: string, key: string): Promise<number> {
  const res = await fetch(`${gatewayUrl}${path}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await res.body?.cancel();
  return res.status;
}

/** Poll until `check` holds; a check that throws is "not yet" (Caddy 2.6 resets connections while it loads a change). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (!(await check().catch((err: unknown) => ((last = err), false)))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const failing = (h: { body: { checks: { name: string; ok: boolean }[] } }) => h.body.checks.filter((c) => !c.ok).map((c) => c.name);

test('a node follows mounted files, means what /livez and /readyz say, and stops on SIGTERM with exit 0', { timeout: 420_000 }, async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mcpgw-node-'));
  const checkout = join(root, 'config'); // the ConfigMap volume: mcpgw.yaml, scopes.yml, registry.d/
  const secrets = join(root, 'secrets'); // the Secret volume: keys.json
  const state = join(root, 'state'); // an emptyDir
  const upstream = await startSdkServer({ tools: [sampleTool('echo')] });
  const a = await nodeAddresses('127.0.0.1');
  let node: RunningNode | undefined;
  let processes: ProcessesFile = {};
  t.after(async () => {
    if (node) process.stderr.write(`node stderr:\n${node.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n').slice(-3000)}\n`);
    await node?.stop('SIGTERM');
    for (const r of Object.values(processes)) if (isPidAlive(r.pid)) process.kill(r.pid, 'SIGKILL');
    await upstream.close();
    await rm(root, { recursive: true, force: true });
  });

  // The operator's keys.json (made with `mcpgw keys create` anywhere), shipped as a Secret.
  const scratch = join(root, 'scratch-keys.json');
  const { key } = await createApiKey(scratch, 'agent', ['agents']);
  const { key: other } = await createApiKey(scratch, 'other', ['agents']);
  const keysJson = await readFile(scratch, 'utf8');
  await writeVolume(secrets, { 'keys.json': keysJson });
  const settings = `${nodeSettingsYaml(a)}state_dir: ${state}\nidentity: { api_keys_file: ${join(secrets, 'keys.json')} }\nnode: { id: node-a, health_listen: ${a.health} }\naudit: { stdout: true }\nsearch: { embedder: none }\n`;
  const files = { 'mcpgw.yaml': settings, 'scopes.yml': SCOPES, 'registry.d/echo.yaml': service('echo', upstream.url) };
  await writeVolume(checkout, files);

  node = await startNode(checkout, a);
  processes = JSON.parse(await readFile(join(state, 'run', 'processes.json'), 'utf8'));
  const ready = await health(node, '/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.body.node, 'node-a');
  assert.deepEqual(ready.body.checks.map((c) => c.name).sort(), ['authd', 'caddy', 'files', 'policy', 'processes']);
  assert.equal((await health(node, '/livez')).status, 200);

  assert.equal(await listTools(node.gatewayUrl, '/echo', key), 200, 'a key from the mounted Secret is accepted');
  assert.equal(await listTools(node.gatewayUrl, '/second', key), 404, 'no such service yet');
  await until('the audit line reaches the node stdout', async () => /"decision":"allow"/.test(node!.stdout()));
  assert.match(node.stdout(), /"subject":"api-key:agent"/, 'audit.stdout: each decision is a JSON line on the container stdout');
  for (const line of node.stdout().split('\n').filter((l) => l.startsWith('{'))) assert.doesNotThrow(() => JSON.parse(line), `an audit line is one JSON object: ${line}`);
  assert.doesNotMatch(node.stdout(), /^caddy\s+pid/m, "up's report goes to stderr in the foreground");
  assert.doesNotMatch(node.stdout() + node.stderr(), /signin\?token=/, 'no one-time sign-in link in a cluster log');

  // Caddy no longer runs what the files say (someone used its admin API): not ready, still alive.
  const removed = await fetch(`http://${a.admin}/id/mcpgw-service-echo`, { method: 'DELETE' });
  assert.equal(removed.status, 200);
  const drifted = await waitForHealth(node, '/readyz', 503);
  assert.deepEqual(failing(drifted), ['caddy']);
  assert.match(drifted.body.checks.find((c) => c.name === 'caddy')!.detail, /routes differ/);
  assert.equal((await health(node, '/livez')).status, 200, 'drift is not a reason to restart the node');

  // A new ConfigMap version (a new service, echo disabled) and a new Secret (one key revoked): the node converges and is ready again.
  await writeVolume(checkout, { ...files, 'registry.d/echo.yaml': service('echo', upstream.url, false), 'registry.d/second.yaml': service('second', upstream.url) });
  await writeVolume(secrets, { 'keys.json': `${JSON.stringify({ keys: (await readApiKeys(scratch)).filter((k) => k.name !== 'other') }, null, 2)}\n` });
  await until('the new service answers', async () => (await listTools(node!.gatewayUrl, '/second', key)) === 200);
  await until('echo is disabled', async () => (await listTools(node!.gatewayUrl, '/echo', key)) === 503);
  assert.equal(await listTools(node.gatewayUrl, '/second', other), 401, 'the revoked key is refused');
  await waitForHealth(node, '/readyz', 200);

  // Files that do not validate: the last good ones stay in force, the node stays ready and says why.
  await writeVolume(checkout, { ...files, 'scopes.yml': 'groups: [not, a, map]\n' });
  await until('the node reports the invalid files', async () => /do not validate/.test((await health(node!, '/readyz')).body.checks.find((c) => c.name === 'files')!.detail));
  assert.equal((await health(node, '/readyz')).status, 200);
  assert.equal(await listTools(node.gatewayUrl, '/second', key), 200, 'the last good policy still decides');
  await writeVolume(checkout, files);

  // authd hangs: not ready (it cannot decide), alive (the kubelet need not restart a slow authd).
  process.kill(processes.authd!.pid, 'SIGSTOP');
  try {
    const hung = await waitForHealth(node, '/readyz', 503);
    assert.ok(failing(hung).includes('authd'), JSON.stringify(hung.body));
    assert.equal((await health(node, '/livez')).status, 200);
  } finally {
    process.kill(processes.authd!.pid, 'SIGCONT');
  }
  await waitForHealth(node, '/readyz', 200);

  // Caddy hangs: not alive (its admin API does not answer), so the kubelet restarts the pod.
  process.kill(processes.caddy!.pid, 'SIGSTOP');
  try {
    const dead = await waitForHealth(node, '/livez', 503);
    assert.deepEqual(failing(dead), ['caddy']);
  } finally {
    process.kill(processes.caddy!.pid, 'SIGCONT');
  }
  await waitForHealth(node, '/livez', 200);

  // SIGTERM (the kubelet stopping the pod): every child stops, exit code 0.
  const exit = await node.stop('SIGTERM');
  assert.deepEqual(exit, { code: 0, signal: null }, node.stderr().slice(-2000));
  for (const [name, r] of Object.entries(processes)) assert.ok(!isPidAlive(r.pid), `${name} stopped`);
});
