// Identity settings changed after `mcpgw up` (issue 14 item 8): the running authd and web UI
// read them at start, so apply says exactly what changed and how to restart — real gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../../testkit/cli.js';
import { gatewayCheckout } from '../../../testkit/gateway.js';

test('apply after an identity change in mcpgw.yaml names what needs `mcpgw down && mcpgw up`; after a restart it is quiet', { timeout: 300_000 }, async (t) => {
  const project = await gatewayCheckout({ up: true, settingsYaml: 'search:\n  embedder: none\n' });
  t.after(project.close);
  const gateway = project.ports.gateway;
  const up = await runCli(['up'], { cwd: project.dir, timeoutMs: 180_000 });
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /web UI: sign in once \(15 min\) at http:\/\/127\.0\.0\.1:\d+\/ui\/signin\?token=/);
  const quiet = await runCli(['apply', '--json'], { cwd: project.dir });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.deepEqual(JSON.parse(quiet.stdout).data.warnings, []);

  await appendFile(join(project.dir, 'mcpgw.yaml'), `identity:\n  providers:\n    - { issuer: "https://idp.example.com", audience: "http://127.0.0.1:${gateway}", client_id: mcpgw }\n`);
  const changed = await runCli(['apply'], { cwd: project.dir });
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(changed.stderr, /warning: mcpgw.yaml changed identity since `mcpgw up`: .*restart them with `mcpgw down && mcpgw up`/);

  assert.equal((await runCli(['down'], { cwd: project.dir })).code, 0);
  const again = await runCli(['up'], { cwd: project.dir, timeoutMs: 180_000 });
  assert.equal(again.code, 0, again.stderr);
  const after = await runCli(['apply'], { cwd: project.dir });
  assert.doesNotMatch(after.stderr, /since `mcpgw up`/);
});
