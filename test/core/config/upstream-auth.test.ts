// upstream_auth: in registry.d — the three modes, their defaults, and located errors for what
// cannot go together (a per-caller credential with stdio, auth: none, pass_authorization or a
// static Authorization header), secrets by reference only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServiceText } from '../../../src/core/config/project.js';
import { formatIssue } from '../../../src/core/config/issues.js';
import { settingsSchema } from '../../../src/core/config/settings.js';

const load = (text: string) => loadServiceText('registry.d/jira.yaml', `name: jira\nupstream: https://jira.example.com/mcp\n${text}`);
const lines = (text: string) => load(text).issues.map(formatIssue);

test('a service without upstream_auth is static: today\'s headers, unchanged', () => {
  const { value, issues } = load('headers:\n  Authorization: "Bearer ${env:JIRA_TOKEN}"\n');
  assert.deepEqual(issues, []);
  assert.deepEqual(value?.upstream_auth, { mode: 'static' });
});

test('token_exchange names the audience; delegated_oauth the client, scopes default to none', () => {
  const tx = load('upstream_auth:\n  mode: token_exchange\n  audience: https://jira.example.com\n  scope: jira.read\n');
  assert.deepEqual(tx.issues, []);
  assert.deepEqual(tx.value?.upstream_auth, { mode: 'token_exchange', audience: 'https://jira.example.com', scope: 'jira.read' });
  const dg = load('upstream_auth:\n  mode: delegated_oauth\n  client_id: mcpgw\n  client_secret: "${env:JIRA_CLIENT_SECRET}"\n');
  assert.deepEqual(dg.issues, []);
  assert.deepEqual(dg.value?.upstream_auth, { mode: 'delegated_oauth', client_id: 'mcpgw', client_secret: '${env:JIRA_CLIENT_SECRET}', scopes: [] });
});

test('an unknown mode, a missing audience and an unknown field are located errors with a fix', () => {
  assert.match(lines('upstream_auth:\n  mode: magic\n').join('\n'), /registry\.d\/jira\.yaml:4:3 upstream_auth\.mode: "magic" is not a mode mcpgw knows — use static, token_exchange, delegated_oauth/);
  assert.match(lines('upstream_auth:\n  mode: token_exchange\n').join('\n'), /jira\.yaml:4:3 upstream_auth\.audience: is required — use the audience the upstream checks/);
  assert.match(lines('upstream_auth:\n  mode: token_exchange\n  audience: x\n  colour: red\n').join('\n'), /jira\.yaml:6:3 upstream_auth\.colour: unknown field "colour" — static: mode; token_exchange: mode, audience/);
});

test('a delegated client secret written inline is refused without echoing it', () => {
  const out = lines('upstream_auth:\n  mode: delegated_oauth\n  client_id: mcpgw\n  client_secret: s3cr3t-value-of-the-client\n');
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(out[0]!, /jira\.yaml:6:3 upstream_auth\.client_secret: client_secret must be a secret reference, not the secret itself — write "\$\{env:NAME\}"/);
  assert.doesNotMatch(out[0]!, /s3cr3t/);
});

test('a per-caller credential cannot go with a static Authorization header, pass_authorization, auth: none or a stdio command', () => {
  const mode = 'upstream_auth:\n  mode: token_exchange\n  audience: jira\n';
  assert.match(lines(`${mode}headers:\n  Authorization: "Bearer \${env:T}"\n`).join('\n'), /jira\.yaml:7:3 headers\.Authorization: is set by upstream_auth token_exchange.* — remove headers\.Authorization/);
  assert.match(lines(`${mode}pass_authorization: true\n`).join('\n'), /jira\.yaml:6:1 pass_authorization: cannot be true with upstream_auth token_exchange/);
  assert.match(lines(`${mode}auth: none\n`).join('\n'), /upstream_auth\.mode: token_exchange needs to know the caller, but auth is "none" — use auth: required/);
  const stdio = loadServiceText('registry.d/mem.yaml', `name: mem\ncommand: npx -y server\n${mode}`).issues.map(formatIssue).join('\n');
  assert.match(stdio, /upstream_auth\.mode: token_exchange needs an HTTP upstream/);
});

test('mcpgw.yaml: the gateway\'s exchange client secret and the encryption key are references only', () => {
  const provider = { issuer: 'https://idp.example.com', audience: 'https://gw.example.com' };
  assert.ok(settingsSchema.safeParse({ identity: { providers: [{ ...provider, token_exchange: { client_id: 'mcpgw-gateway', client_secret: '${env:MCPGW_EXCHANGE_SECRET}' } }] }, upstream_credentials: { encryption_key: '${env:MCPGW_CREDENTIALS_KEY}' } }).success);
  assert.equal(settingsSchema.safeParse({ identity: { providers: [{ ...provider, token_exchange: { client_id: 'g', client_secret: 'plain-secret' } }] } }).success, false);
  assert.equal(settingsSchema.safeParse({ upstream_credentials: { encryption_key: 'c2VjcmV0LWtleS1tYXRlcmlhbC1pbmxpbmU=' } }).success, false);
});

test('a checkout warns when mcpgw.yaml lacks what a per-caller mode needs (exchange client, encryption key)', async (t) => {
  const { checkoutWith } = await import('../../../testkit/cli.js');
  const { loadProjectChecked } = await import('../../../src/core/config/project.js');
  const checkout = await checkoutWith({
    'registry.d/jira.yaml': 'name: jira\nupstream: https://jira.example.com/mcp\nupstream_auth: { mode: token_exchange, audience: jira }\n',
    'registry.d/github.yaml': 'name: github\nupstream: https://gh.example.com/mcp\nupstream_auth: { mode: delegated_oauth, client_id: mcpgw }\n',
    'scopes.yml': 'groups: {}\nscopes: {}\n',
  });
  t.after(checkout.cleanup);
  const { project, issues } = await loadProjectChecked(checkout.dir);
  assert.ok(project, 'warnings only');
  assert.deepEqual(issues.filter((i) => i.code.startsWith('W_T') || i.code.startsWith('W_UP')).map((i) => [i.code, i.field]), [
    ['W_UPSTREAM_CREDENTIALS_KEY_MISSING', 'upstream_auth.mode'],
    ['W_TOKEN_EXCHANGE_CLIENT_MISSING', 'upstream_auth.mode'],
  ]);
});
