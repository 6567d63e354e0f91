// The registration policy, pure: what a delegate holding `register` may put into a definition
// (secrets, upstream hosts, commands, auth), table by table; the operator may do anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { serviceSchema, type ServiceDefinition } from '../../../src/core/config/service.js';
import { registrationProblems, type Registrant } from '../../../src/core/policy/registration-policy.js';
import { hostKind } from '../../../src/core/policy/upstream-hosts.js';

const policy = scopesFileSchema.parse({
  groups: { weather: ['weather-team'], plain: ['registrar'], ops: ['platform'], viewers: ['viewer'] },
  scopes: {
    'weather-team': { registry: { rights: ['list', 'register'], secrets: ['WEATHER_*', 'file:/run/secrets/weather/*'], upstreams: ['*.weather.example.com', '10.20.0.0/16'] } },
    registrar: { registry: ['register'] },
    platform: { registry: { rights: ['register'], upstreams: ['*', '127.0.0.1', 'localhost'], commands: true, secrets: ['*'] } },
    viewer: { registry: { rights: ['list'], secrets: ['*'], upstreams: ['*', '127.0.0.1'], commands: true } },
  },
});

const svc = (fields: Record<string, unknown>): ServiceDefinition => ({ ...serviceSchema.parse({ name: 'svc', ...fields }), file: 'registry.d/svc.yaml' });
const delegate = (...groups: string[]): Registrant => ({ kind: 'agent', subject: 'someone', groups });
const codes = (registrant: Registrant, after: ServiceDefinition, before?: ServiceDefinition) => registrationProblems(policy, registrant, { before, after }, '/srv/gw').map((p) => p.code);

const cases: [string, Registrant, Record<string, unknown>, string[]][] = [
  ['a public upstream with the short form', delegate('plain'), { upstream: 'https://mcp.example.org/mcp' }, []],
  ['loopback with the short form', delegate('plain'), { upstream: 'http://127.0.0.1:9000/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['loopback written as a number', delegate('plain'), { upstream: 'http://2130706433:9000/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['IPv4-mapped loopback', delegate('plain'), { upstream: 'http://[::ffff:127.0.0.1]/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['localhost', delegate('plain'), { upstream: 'http://localhost:9000/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['the metadata address', delegate('plain'), { upstream: 'http://169.254.169.254/latest' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['link-local IPv6', delegate('plain'), { upstream: 'http://[fe80::1]/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['0.0.0.0', delegate('plain'), { upstream: 'http://0.0.0.0:80/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['a private range', delegate('plain'), { upstream: 'http://10.1.2.3/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['a private range the scope names', delegate('weather'), { upstream: 'http://10.20.3.4/mcp' }, []],
  ['a host outside the scope\'s patterns', delegate('weather'), { upstream: 'https://evil.example.net/mcp' }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['a host inside the scope\'s patterns', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp' }, []],
  ['loopback named by the scope', delegate('ops'), { upstream: 'http://127.0.0.1:9000/mcp' }, []],
  ['a declared secret', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp', headers: { Authorization: 'Bearer ${env:WEATHER_TOKEN}' } }, []],
  ['a gateway secret', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp', headers: { Authorization: 'Bearer ${env:MCPGW_ADMIN_TOKEN}' } }, ['E_SECRET_NOT_ALLOWED']],
  ['a declared secret file', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp', headers: { 'X-Key': '${file:/run/secrets/weather/key}' } }, []],
  ['a file outside the declared folder, by ..', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp', headers: { 'X-Key': '${file:/run/secrets/weather/../db/key}' } }, ['E_SECRET_NOT_ALLOWED']],
  ['a relative file (the checkout\'s keys)', delegate('weather'), { upstream: 'https://api.weather.example.com/mcp', headers: { 'X-Key': '${file:.mcpgw/keys.json}' } }, ['E_SECRET_NOT_ALLOWED']],
  ['any secret with the short form', delegate('plain'), { upstream: 'https://mcp.example.org/mcp', headers: { 'X-Key': '${env:WEATHER_TOKEN}' } }, ['E_SECRET_NOT_ALLOWED']],
  ['a command without the right', delegate('weather'), { command: 'npx -y @modelcontextprotocol/server-memory' }, ['E_COMMAND_NOT_ALLOWED']],
  ['a command with the right', delegate('ops'), { command: 'npx -y @modelcontextprotocol/server-memory' }, []],
  ['a command\'s env secret', delegate('ops', 'plain'), { command: { run: 'server', env: { TOKEN: '${env:ANYTHING}' } } }, []],
  ['auth: none', delegate('ops'), { upstream: 'https://mcp.example.org/mcp', auth: 'none' }, ['E_AUTH_NONE_NOT_ALLOWED']],
  ['pass_authorization', delegate('ops'), { upstream: 'https://mcp.example.org/mcp', pass_authorization: true }, ['E_PASS_AUTHORIZATION_NOT_ALLOWED']],
  ['rights of a scope without register do not count', delegate('viewers'), { upstream: 'http://127.0.0.1/mcp', command: undefined }, ['E_UPSTREAM_NOT_ALLOWED']],
  ['the operator may do anything', { kind: 'operator', subject: 'local operator' }, { upstream: 'http://169.254.169.254/', headers: { A: '${env:X}' }, auth: 'none' }, []],
];

for (const [name, registrant, fields, expected] of cases) {
  test(`registration: ${name}`, () => assert.deepEqual(codes(registrant, svc(fields)), expected));
}

test('an edit needs rights only for what it changes; a new upstream must be allowed to receive the existing secrets', () => {
  const before = svc({ upstream: 'https://api.weather.example.com/mcp', headers: { Authorization: 'Bearer ${env:OPS_TOKEN}' } });
  assert.deepEqual(codes(delegate('weather'), { ...before, description: 'new words' }, before), [], 'same upstream, same secret: fine');
  assert.deepEqual(codes(delegate('weather'), svc({ upstream: 'https://eu.weather.example.com/mcp', headers: before.headers }), before), ['E_SECRET_NOT_ALLOWED'], 'the operator\'s secret would go to a new host');
  const command = svc({ command: 'run-it' });
  assert.deepEqual(codes(delegate('weather'), { ...command, enabled: false }, command), [], 'toggling a command service is no new command');
});

test('host kinds are judged without DNS', () => {
  assert.equal(hostKind('metadata.google.internal'), 'metadata');
  assert.equal(hostKind('db'), 'internal-name');
  assert.equal(hostKind('[fd00:ec2::254]'), 'metadata');
  assert.equal(hostKind('100.64.1.1'), 'private');
  assert.equal(hostKind('mcp.example.org'), 'public');
});

test('scopes.yml: the registry grant keeps its short form and refuses bad entries with located errors', () => {
  assert.deepEqual(policy.scopes.registrar!.registry, { rights: ['register'], secrets: [], upstreams: ['*'], commands: false });
  const bad = scopesFileSchema.safeParse({ scopes: { s: { registry: { rights: ['register'], upstreams: ['10.0.0.0/x'], commandz: true } } } });
  assert.equal(bad.success, false);
});

test('upstream_auth: token exchange is operator-only; delegated OAuth holds its secret and authorization server to the grant', () => {
  const tx = svc({ upstream: 'https://api.weather.example.com/mcp', upstream_auth: { mode: 'token_exchange', audience: 'https://api.weather.example.com' } });
  assert.deepEqual(codes(delegate('ops'), tx), ['E_TOKEN_EXCHANGE_NOT_ALLOWED']);
  assert.deepEqual(codes({ kind: 'operator', subject: 'local operator' }, tx), []);
  assert.deepEqual(codes(delegate('ops'), { ...tx, description: 'edited' }, tx), [], 'an unchanged exchange may stay in an edit');
  const delegated = (fields: Record<string, unknown>) => svc({ upstream: 'https://api.weather.example.com/mcp', upstream_auth: { mode: 'delegated_oauth', client_id: 'mcpgw', ...fields } });
  assert.deepEqual(codes(delegate('weather'), delegated({ client_secret: '${env:WEATHER_CLIENT}', authorization_server: 'https://login.weather.example.com' })), []);
  assert.deepEqual(codes(delegate('weather'), delegated({ client_secret: '${env:MCPGW_EXCHANGE_SECRET}' })), ['E_SECRET_NOT_ALLOWED']);
  assert.deepEqual(codes(delegate('weather'), delegated({ authorization_server: 'http://127.0.0.1:9000' })), ['E_UPSTREAM_NOT_ALLOWED']);
});
