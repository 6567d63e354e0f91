// /readyz's policy and definitions checks against a real authd: a node whose authd decides with
// another scopes.yml or other definitions than the node's files is not ready, and says which.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/core/config/project.js';
import { nodeReadiness } from '../../../src/control/processes/node-health.js';
import { gatewayCheckout } from '../../../testkit/gateway.js';

const SCOPES = 'groups:\n  agents: [tools]\nscopes:\n  tools:\n    servers:\n      "*": { tools: ["*"] }\n';

test('readiness fails the policy check when authd decides with another scopes.yml, and the authd check when with other definitions', async (t) => {
  const gw = await gatewayCheckout({ services: { echo: 'upstream: http://127.0.0.1:9/mcp\nhealth: { enabled: false }\n' }, scopes: SCOPES });
  t.after(() => gw.close());
  await gw.startAuthd({ listen: `127.0.0.1:${gw.ports.authd}` });
  const input = (project: Awaited<ReturnType<typeof loadProject>>) => ({ node: 'n1', project: () => project, children: [], invalidFiles: () => undefined, timeoutMs: 2000 });
  const checks = async () => Object.fromEntries((await nodeReadiness(input(await loadProject(gw.dir)))).checks.map((c) => [c.name, c.ok]));

  const same = await checks();
  assert.equal(same.authd, true, 'authd runs the files');
  assert.equal(same.policy, true);
  assert.equal(same.caddy, false, 'no Caddy runs here: not ready for that reason alone');

  // The node's files moved on and authd has not caught up (yet): compare with what a newer scopes.yml or registry.d would load.
  const ahead = await loadProject(gw.dir);
  const policyAhead = { ...ahead.scopes, groups: { ...ahead.scopes.groups, newcomers: ['tools'] } };
  const readiness = await nodeReadiness(input({ ...ahead, scopes: policyAhead }));
  const policy = readiness.checks.find((c) => c.name === 'policy')!;
  assert.equal(readiness.ok, false);
  assert.equal(policy.ok, false);
  assert.match(policy.detail, /another scopes.yml/);

  const moreServices = { ...ahead, services: [...ahead.services, { ...ahead.services[0]!, name: 'extra', path: '/extra' }] };
  const authd = (await nodeReadiness(input(moreServices))).checks.find((c) => c.name === 'authd')!;
  assert.equal(authd.ok, false);
  assert.match(authd.detail, /other definitions/);
});
