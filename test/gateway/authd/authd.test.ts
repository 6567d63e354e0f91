// authd over HTTP, called exactly as Caddy's forward_auth calls it, against a real OpenID
// provider (oidc-provider) on loopback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { SignJWT, base64url } from 'jose';
import { startAuthd, type RunningAuthd } from '../../../src/gateway/authd/authd-server.js';
import { createApiKey, revokeApiKey } from '../../../src/core/identity/api-keys.js';
import { discoverProvider } from '../../../src/core/identity/provider-discovery.js';
import { PolicyLoadError } from '../../../src/gateway/authd/policy-source.js';
import { stateLayout } from '../../../src/core/state/layout.js';
import { decodeIdentityHeader } from '../../../src/core/identity/identity-header.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';
import { gatewayProject, SCOPES_YML } from '../../../testkit/gateway-project.js';

const GATEWAY = 'http://127.0.0.1:18080';
const MACHINE_SECRET = 'machine-secret-0123456789-abcdefghijklmnop';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** GET /verify with the headers Caddy sends (node:http, so header sizes are not limited client-side). */
function verify(authd: RunningAuthd, headers: Record<string, string | undefined>): Promise<Answer> {
  const clean = Object.fromEntries(Object.entries({ 'x-mcpgw-service': 'everything', 'x-forwarded-method': 'POST', 'x-forwarded-uri': '/everything/mcp', ...headers }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return new Promise((resolve, reject) => {
    const req = request(`${authd.url}/verify`, { method: 'GET', headers: clean }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const call = (id: number, method: string, params?: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
const toolCall = (id: number, name: string) => call(id, 'tools/call', { name, arguments: {} });
const bearer = (token: string) => `Bearer ${token}`;
/** The identity authd hands to the upstream (X-Mcpgw-Identity), decoded. */
const identityOf = (res: Answer) => (res.headers['x-mcpgw-identity'] ? decodeIdentityHeader(String(res.headers['x-mcpgw-identity'])) : undefined);

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('authd', () => {
  let idp: TestIdp;
  let project: { dir: string; cleanup(): Promise<void> };
  let authd: RunningAuthd;
  let alice: string;
  let bob: string;
  const now = () => Math.floor(Date.now() / 1000);
  const userToken = (sub: string, groups: string[], extra: Record<string, unknown> = {}) =>
    idp.sign({ iss: idp.issuer, aud: GATEWAY, sub, groups, iat: now(), exp: now() + 600, client_id: 'mcpgw-cli', ...extra });

  before(async () => {
    idp = await startTestIdp({ audience: GATEWAY, users: { alice: ['developers'], bob: [] }, machines: { 'ci-bot': { secret: MACHINE_SECRET, groups: ['ci'] } } });
    project = await gatewayProject({ issuer: idp.issuer, audience: GATEWAY, gatewayListen: '127.0.0.1:18080' });
    authd = await startAuthd({ root: project.dir, log: () => {} });
    alice = await userToken('alice', ['developers']);
    bob = await userToken('bob', []);
  });
  after(async () => {
    await authd?.close();
    await idp?.close();
    await project?.cleanup();
  });

  test('an allowed tool call gets 2xx with the identity headers for the upstream', async () => {
    const res = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
    assert.equal(res.status, 200);
    assert.deepEqual(identityOf(res), { subject: 'alice', kind: 'oidc', groups: ['developers'], scopes: ['everyday'], issuer: idp.issuer });
  });

  test('answers state their length and are never chunked (Caddy keeps a connection only for a body it can tell is empty or read whole)', async () => {
    const allowed = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
    const denied = await verify(authd, { 'x-mcpgw-body': JSON.stringify(call(1, 'tools/list')) });
    assert.deepEqual([allowed.status, allowed.headers['content-length'], allowed.headers['transfer-encoding']], [200, '0', undefined]);
    assert.deepEqual([denied.status, denied.headers['content-length'], denied.headers['transfer-encoding']], [401, String(Buffer.byteLength(denied.body)), undefined]);
  });

  test('a tool outside the scopes gets 403 naming the missing right, while tools/list is allowed', async () => {
    const denied = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(7, 'get-sum')) });
    assert.equal(denied.status, 403);
    const body = denied.json();
    assert.equal(body.jsonrpc, '2.0');
    assert.equal(body.id, 7);
    assert.equal(body.error.code, -32003);
    assert.equal(body.error.data.missing, 'tools/call everything:get-sum');
    // RFC 6750 §3.1 insufficient_scope: the groups whose scopes grant get-sum (ci, admins), and the metadata.
    assert.equal(denied.headers['www-authenticate'], `Bearer error="insufficient_scope", scope="ci admins", resource_metadata="${GATEWAY}/.well-known/oauth-protected-resource/everything"`);
    const list = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(call(2, 'tools/list')) });
    assert.equal(list.status, 200);
  });

  test('prompts/get is decided by prompt name', async () => {
    const ok = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(call(3, 'prompts/get', { name: 'simple-prompt' })) });
    const no = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(call(4, 'prompts/get', { name: 'complex-prompt' })) });
    assert.deepEqual([ok.status, no.status], [200, 403]);
  });

  test('no token gets 401 with WWW-Authenticate naming the resource metadata (RFC 9728)', async () => {
    const res = await verify(authd, { 'x-mcpgw-body': JSON.stringify(call(1, 'tools/list')) });
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], `Bearer resource_metadata="${GATEWAY}/.well-known/oauth-protected-resource/everything"`);
  });

  test('the protected resource metadata names the issuer and the resource', async () => {
    const service = await (await fetch(`${authd.url}/.well-known/oauth-protected-resource/everything`)).json();
    assert.deepEqual(service.authorization_servers, [idp.issuer]);
    assert.equal(service.resource, `${GATEWAY}/everything`);
    const root = await (await fetch(`${authd.url}/.well-known/oauth-protected-resource`)).json();
    assert.equal(root.resource, GATEWAY);
    assert.equal((await fetch(`${authd.url}/.well-known/oauth-protected-resource/nope`)).status, 404);
    // RFC 9728 §3.1: clients insert the well-known prefix before the path of the endpoint they use.
    for (const endpoint of ['mcp', 'sse', 'messages']) {
      const res = await fetch(`${authd.url}/.well-known/oauth-protected-resource/everything/${endpoint}`);
      assert.equal(res.status, 200, endpoint);
      const meta = await res.json();
      assert.equal(meta.resource, `${GATEWAY}/everything/${endpoint}`, 'resource is the URL the client derived it from (§3.3)');
      assert.deepEqual(meta.authorization_servers, [idp.issuer]);
    }
    assert.equal((await fetch(`${authd.url}/.well-known/oauth-protected-resource/everythingelse/mcp`)).status, 404);
  });

  test('expired, not-yet-valid, wrong audience, wrong issuer, tampered, alg none and HS256-with-public-key tokens get 401', async () => {
    const good = alice.split('.');
    const payload = (claims: Record<string, unknown>) => base64url.encode(JSON.stringify({ iss: idp.issuer, aud: GATEWAY, sub: 'alice', groups: ['admins'], iat: now(), exp: now() + 600, ...claims }));
    const hsKey = new TextEncoder().encode(JSON.stringify(idp.publicJwk));
    const forged: Record<string, string> = {
      expired: await userToken('alice', ['developers'], { exp: now() - 120, iat: now() - 900 }),
      'not yet valid': await userToken('alice', ['developers'], { nbf: now() + 300 }),
      'wrong audience': await userToken('alice', ['developers'], { aud: 'https://other.example' }),
      'wrong issuer': await userToken('alice', ['developers'], { iss: 'https://evil.example' }),
      tampered: `${good[0]}.${payload({})}.${good[2]}`,
      'alg none': `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${payload({})}.`,
      'HS256 with the public key': await new SignJWT({ iss: idp.issuer, aud: GATEWAY, sub: 'alice', groups: ['admins'] }).setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' }).setIssuedAt().setExpirationTime('10m').sign(hsKey),
      'not a JWT': 'garbage-token',
    };
    for (const [name, token] of Object.entries(forged)) {
      const res = await verify(authd, { authorization: bearer(token), 'x-mcpgw-body': JSON.stringify(call(1, 'tools/list')) });
      assert.equal(res.status, 401, `${name}: ${res.body}`);
      assert.match(String(res.headers['www-authenticate']), /^Bearer resource_metadata=".*", error="invalid_token"/, name);
    }
  });

  test('client-sent X-User, X-Groups, X-Scopes and X-Mcpgw-Identity are not trusted', async () => {
    const forged = Buffer.from(JSON.stringify({ subject: 'admin', kind: 'oidc', groups: ['admins'], scopes: ['admin'] })).toString('base64url');
    const spoof = { 'x-user': 'admin', 'x-groups': 'admins', 'x-scopes': 'admin', 'x-mcpgw-identity': forged };
    const denied = await verify(authd, { ...spoof, authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'get-sum')) });
    assert.equal(denied.status, 403);
    const allowed = await verify(authd, { ...spoof, authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
    assert.equal(identityOf(allowed)?.subject, 'alice');
    const anonymous = await verify(authd, { ...spoof, 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
    assert.equal(anonymous.status, 401);
  });

  test('a malformed body header gets 400 with a JSON-RPC parse or request error', async () => {
    const notJson = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': '{"jsonrpc":"2.0",' });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.json().error.code, -32700);
    for (const body of ['[]', '"text"', '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}', '{"jsonrpc":"1.0","id":1,"method":"ping"}']) {
      const res = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': body });
      assert.equal(res.status, 400, body);
      assert.equal(res.json().error.code, -32600, body);
    }
  });

  test('a body above the service limit gets 413, and above authd header limit 431, without a crash', async () => {
    const big = JSON.stringify(call(1, 'tools/call', { name: 'echo', arguments: { message: 'x'.repeat(70_000) } }));
    const tooBig = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': big });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.json().error.data.code, 'ERR_BODY_TOO_LARGE');
    const huge = JSON.stringify(call(1, 'tools/call', { name: 'echo', arguments: { message: 'x'.repeat(authd.maxHeaderSize) } }));
    const overflow = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': huge });
    assert.equal(overflow.status, 431);
    assert.equal(overflow.json().error.data.code, 'ERR_HEADERS_TOO_LARGE');
    assert.equal((await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) })).status, 200, 'still serving');
  });

  test('a batch mixing allowed and denied calls is refused whole with 403 listing the denied calls', async () => {
    const mixed = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify([toolCall(1, 'echo'), toolCall(2, 'get-sum'), call(3, 'tools/list')]) });
    assert.equal(mixed.status, 403);
    const body = mixed.json();
    assert.equal(body.id, null);
    assert.deepEqual(body.error.data.denied.map((d: { id: number; name: string }) => [d.id, d.name]), [[2, 'get-sum']]);
    const allowed = await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify([toolCall(1, 'echo'), call(2, 'tools/list')]) });
    assert.equal(allowed.status, 200);
  });

  test('Mcp-Method and Mcp-Name decide without a body, and must match the body when both are sent', async () => {
    const headersOnly = await verify(authd, { authorization: bearer(alice), 'mcp-method': 'tools/call', 'mcp-name': 'echo' });
    assert.equal(headersOnly.status, 200);
    const headersDenied = await verify(authd, { authorization: bearer(alice), 'mcp-method': 'tools/call', 'mcp-name': 'get-sum' });
    assert.equal(headersDenied.status, 403);
    const lying = await verify(authd, { authorization: bearer(alice), 'mcp-method': 'tools/call', 'mcp-name': 'echo', 'x-mcpgw-body': JSON.stringify(toolCall(1, 'get-sum')) });
    assert.equal(lying.status, 400);
    assert.equal(lying.json().error.data.code, 'ERR_HEADER_MISMATCH');
  });

  test('a request without a body (GET stream, DELETE) needs an identity with a right on that server', async () => {
    assert.equal((await verify(authd, { authorization: bearer(alice), 'x-forwarded-method': 'GET' })).status, 200);
    assert.equal((await verify(authd, { authorization: bearer(bob), 'x-forwarded-method': 'DELETE' })).status, 403);
    assert.equal((await verify(authd, { 'x-forwarded-method': 'GET' })).status, 401);
  });

  test('an unknown service or a missing service header is denied', async () => {
    assert.equal((await verify(authd, { authorization: bearer(alice), 'x-mcpgw-service': 'nope', 'x-mcpgw-body': JSON.stringify(call(1, 'tools/list')) })).status, 403);
    assert.equal((await verify(authd, { authorization: bearer(alice), 'x-mcpgw-service': '' })).status, 400);
  });

  test('a client-credentials token is allowed exactly what its group allows', async () => {
    const config = await discoverProvider({ issuer: idp.issuer }, 'ci-bot', { clientSecret: MACHINE_SECRET });
    const { access_token: token } = await oidc.clientCredentialsGrant(config, { resource: GATEWAY });
    const sum = await verify(authd, { authorization: bearer(token), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'get-sum')) });
    assert.equal(sum.status, 200);
    assert.equal(identityOf(sum)?.subject, 'ci-bot');
    assert.deepEqual(identityOf(sum)?.scopes, ['ci-tools']);
    assert.equal((await verify(authd, { authorization: bearer(token), 'x-mcpgw-body': JSON.stringify(toolCall(2, 'echo')) })).status, 403);
    assert.equal((await verify(authd, { authorization: bearer(token), 'x-mcpgw-body': JSON.stringify(call(3, 'prompts/list')) })).status, 403);
  });

  test('an API key is allowed exactly what its group allows, and stops working when revoked', async () => {
    const keysFile = stateLayout(join(project.dir, '.mcpgw')).apiKeysFile;
    const { key } = await createApiKey(keysFile, 'ci-job', ['ci']);
    const sumBody = JSON.stringify(toolCall(1, 'get-sum'));
    await eventually(async () => (await verify(authd, { authorization: bearer(key), 'x-mcpgw-body': sumBody })).status === 200, 'authd to load the new key');
    const res = await verify(authd, { authorization: bearer(key), 'x-mcpgw-body': sumBody });
    assert.equal(identityOf(res)?.subject, 'api-key:ci-job');
    assert.equal((await verify(authd, { authorization: bearer(key), 'x-mcpgw-body': JSON.stringify(toolCall(2, 'echo')) })).status, 403);
    await revokeApiKey(keysFile, 'ci-job');
    await eventually(async () => (await verify(authd, { authorization: bearer(key), 'x-mcpgw-body': sumBody })).status === 401, 'authd to drop the revoked key');
  });

  test('scopes.yml is reloaded on change; an invalid file keeps the last good policy', async () => {
    const scopesFile = join(project.dir, 'scopes.yml');
    const sum = () => verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'get-sum')) });
    const reloadsBefore = authd.source.reloadCount;
    await writeFile(scopesFile, 'groups:\n  developers: [missing-scope]\n');
    await eventually(async () => authd.source.failedReloads > 0 && authd.source.reloadCount === reloadsBefore, 'the invalid file to be rejected');
    assert.equal((await sum()).status, 403);
    assert.equal((await verify(authd, { authorization: bearer(alice), 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) })).status, 200, 'last good policy still in force');
    await writeFile(scopesFile, SCOPES_YML.replace('tools: [echo]', 'tools: [echo, get-sum]'));
    await eventually(async () => (await sum()).status === 200, 'the new policy to allow get-sum');
    await writeFile(scopesFile, SCOPES_YML);
    await eventually(async () => (await sum()).status === 403, 'the original policy again');
  });

  test('a disabled service answers 503 service_disabled to everyone, before identity; an auth: none service needs no token', async () => {
    await writeFile(join(project.dir, 'registry.d', 'off.yaml'), 'name: off\nupstream: http://127.0.0.1:9/mcp\nenabled: false\n');
    await writeFile(join(project.dir, 'registry.d', 'open.yaml'), 'name: open\nupstream: http://127.0.0.1:9/mcp\nauth: none\n');
    await eventually(async () => authd.source.current.services.has('off') && authd.source.current.services.has('open'), 'registry.d reloaded');
    const disabled = { error: 'service_disabled', service: 'off', message: 'service "off" is disabled on this gateway' };
    for (const authorization of [undefined, bearer(alice), 'Bearer forged']) {
      const res = await verify(authd, { 'x-mcpgw-service': 'off', authorization, 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
      assert.equal(res.status, 503);
      assert.deepEqual(res.json(), disabled);
    }
    const open = await verify(authd, { 'x-mcpgw-service': 'open', 'x-mcpgw-body': JSON.stringify(toolCall(1, 'anything')) });
    assert.equal(open.status, 200);
    assert.equal(identityOf(open), undefined, 'no identity for auth: none');
    const forgedHeader = await verify(authd, { 'x-mcpgw-service': 'everything', 'x-mcpgw-auth': 'none', 'x-mcpgw-body': JSON.stringify(toolCall(1, 'echo')) });
    assert.equal(forgedHeader.status, 401, 'auth: none comes from the definition, never from a request header');
  });

  test('the audit log records decisions with identity and reason, and never a token', async () => {
    const log = await readFile(stateLayout(join(project.dir, '.mcpgw')).auditLog, 'utf8');
    const entries = log.trim().split('\n').map((l) => JSON.parse(l));
    const deny = entries.find((e) => e.identity?.subject === 'alice' && e.tool === 'get-sum' && e.decision === 'deny');
    assert.ok(deny, 'a denial of get-sum for alice');
    assert.equal(deny.server, 'everything');
    assert.equal(deny.method, 'tools/call');
    assert.match(deny.reason, /get-sum/);
    assert.ok(entries.every((e) => typeof e.time === 'string'));
    assert.ok(!log.includes(alice.split('.')[2]!), 'no token signature in the log');
    assert.ok(!log.includes('mcpgw_'), 'no API key in the log');
  });
});

describe('authd start', () => {
  test('an invalid scopes.yml at start refuses to start', async () => {
    const project = await gatewayProject({ issuer: 'http://127.0.0.1:9', audience: GATEWAY, gatewayListen: '127.0.0.1:18080' });
    try {
      await writeFile(join(project.dir, 'scopes.yml'), 'groups:\n  developers: [nope]\n');
      await assert.rejects(startAuthd({ root: project.dir, log: () => {} }), (err: unknown) => err instanceof PolicyLoadError && /scope "nope" is not defined/.test(err.message));
    } finally {
      await project.cleanup();
    }
  });
});
