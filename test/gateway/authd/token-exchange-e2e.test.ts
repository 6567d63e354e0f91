// upstream_auth: token_exchange through the real gateway: Caddy → authd, which exchanges the
// caller's token at a real oidc-provider (RFC 8693 grant registered on it) → an SDK MCP server
// that accepts only tokens for its own audience and checks them with jose. The client's own
// token never reaches the upstream; a refused exchange is a JSON-RPC error and no call.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTestGateway, type TestGateway } from '../../../testkit/gateway.js';
import { waitForPort } from '../../../testkit/ports.js';
import { startAudienceCheckingServer, type RunningAudienceCheckingServer } from '../../../testkit/audience-checking-server.js';
import { startTestIdp, type TestIdp } from '../../fixtures/oidc/test-idp.js';

const JIRA = 'https://jira.test.example';
const SECRET_ENV = 'MCPGW_TEST_EXCHANGE_SECRET';
const SECRET = 'exchange-secret-of-the-gateway-7c1e';

const SCOPES = `groups:
  developers: [jira-users]
scopes:
  jira-users:
    servers:
      jira: { tools: [whoami] }
      jira-wrong: { tools: [whoami] }
      jira-admin: { tools: [whoami] }
      jira-static: { tools: [whoami] }
`;

describe('token exchange end to end (real Caddy, authd, oidc-provider with an RFC 8693 grant, audience-checking upstream)', () => {
  let jira: RunningAudienceCheckingServer | undefined;
  let gw: TestGateway<TestIdp>;
  let gateway: string;
  const logs: string[] = [];
  const token: Record<string, string> = {};

  before(async () => {
    process.env[SECRET_ENV] = SECRET;
    gw = await startTestGateway({
      idp: (url) => startTestIdp({ audience: url, users: {}, tokenExchange: { clients: { 'mcpgw-gateway': SECRET }, audiences: [JIRA], refuseSubjects: ['mallory'] } }),
      identityYaml: `      token_exchange: { client_id: mcpgw-gateway, client_secret: "\${env:${SECRET_ENV}}" }\n`,
      scopes: SCOPES,
      authd: false,
      prepare: async (checkout) => {
        jira = await startAudienceCheckingServer({ issuer: checkout.idp.issuer, audience: JIRA });
        checkout.onClose(() => jira!.close());
        await checkout.writeService('jira', `upstream: ${jira.url}\nupstream_auth:\n  mode: token_exchange\n  audience: ${JIRA}\n`);
        // An upstream that wants a scope the exchange does not ask for (403 insufficient_scope), and one reached with no credential (401).
        const admin = await startAudienceCheckingServer({ issuer: checkout.idp.issuer, audience: JIRA, requiredScope: 'jira.admin' });
        checkout.onClose(() => admin.close());
        await checkout.writeService('jira-admin', `upstream: ${admin.url}\nupstream_auth:\n  mode: token_exchange\n  audience: ${JIRA}\n`);
        await checkout.writeService('jira-static', `upstream: ${jira.url}\n`);
        await checkout.writeService('jira-wrong', `upstream: ${jira.url}\nupstream_auth:\n  mode: token_exchange\n  audience: https://elsewhere.example\n`);
      },
    });
    gateway = gw.url;
    await gw.startAuthd({ log: (l) => logs.push(l) });
    await gw.apply();
    await waitForPort(gw.ports.gateway, gw.host, 30_000);
    const now = Math.floor(Date.now() / 1000);
    for (const sub of ['alice', 'mallory']) token[sub] = await gw.idp.sign({ iss: gw.idp.issuer, aud: gateway, sub, groups: ['developers'], iat: now, exp: now + 900 });
  });
  after(async () => {
    delete process.env[SECRET_ENV];
    await gw?.close();
  });

  async function connect(service: string, bearer: string): Promise<Client> {
    const client = new Client({ name: 'tx-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway}/${service}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${bearer}` } } }));
    return client;
  }

  test('the upstream gets a token for its own audience with the caller as subject; the client\'s token never reaches it', async () => {
    const client = await connect('jira', token.alice!);
    try {
      const result = await client.callTool({ name: 'whoami', arguments: {} });
      assert.deepEqual(JSON.parse((result.content as { text: string }[])[0]!.text), { sub: 'alice', aud: JIRA });
    } finally {
      await client.close();
    }
    assert.ok(jira!.authorizations.length >= 3, 'initialize, initialized and the call reached the upstream');
    assert.ok(jira!.authorizations.every((a) => a !== `Bearer ${token.alice}`), 'the gateway token was never sent upstream');
    const sent = decodeJwt(jira!.authorizations.at(-1)!.replace('Bearer ', ''));
    assert.equal(sent.sub, 'alice');
    assert.equal(sent.aud, JIRA);
    assert.deepEqual(sent.act, { sub: 'mcpgw-gateway' });
  });

  test('the exchanged token is cached per caller and service: a second session exchanges nothing', async () => {
    const before = gw.idp.exchanges();
    assert.ok(before >= 1);
    const client = await connect('jira', token.alice!);
    try {
      await client.callTool({ name: 'whoami', arguments: {} });
    } finally {
      await client.close();
    }
    assert.equal(gw.idp.exchanges(), before);
  });

  test('a refused exchange fails closed with a JSON-RPC error saying why; the upstream is not called', async () => {
    const seen = jira!.authorizations.length;
    const call = (service: string, bearer: string) =>
      fetch(`${gateway}/${service}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
      });
    const refused = await call('jira', token.mallory!);
    assert.equal(refused.status, 403);
    const body = await refused.json();
    assert.equal(body.id, 7);
    assert.equal(body.error.code, -32003);
    assert.equal(body.error.data.code, 'ERR_TOKEN_EXCHANGE_REFUSED');
    assert.equal(body.error.data.oauth_error, 'access_denied');
    assert.match(body.error.message, /identity provider refused to exchange your token for jira: access_denied/);
    const wrongAudience = await (await call('jira-wrong', token.alice!)).json();
    assert.equal(wrongAudience.error.data.oauth_error, 'invalid_target');
    assert.equal(jira!.authorizations.length, seen, 'nothing reached the upstream');
  });

  test('an upstream\'s 401/403 challenge reaches the client as a JSON-RPC error that says what to do', async () => {
    const call = async (service: string) => {
      const res = await fetch(`${gateway}/${service}/mcp`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.alice}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
      });
      return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
    };
    const scope = await call('jira-admin');
    assert.equal(scope.status, 403);
    assert.equal(scope.challenge, null, 'the upstream\'s challenge is not passed on (it names the upstream\'s server, not the gateway\'s)');
    assert.equal(scope.body.error.code, -32003);
    assert.equal(scope.body.error.data.code, 'ERR_UPSTREAM_INSUFFICIENT_SCOPE');
    assert.equal(scope.body.error.data.scope, 'jira.admin');
    assert.match(scope.body.error.message, /jira-admin needs scope jira\.admin in the token exchanged for you — ask an admin to add it to upstream_auth\.scope/);
    const refused = await call('jira-static');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.data.code, 'ERR_UPSTREAM_CREDENTIAL_REFUSED');
    assert.equal(refused.body.error.data.upstream_status, 401);
    assert.match(refused.body.error.message, /jira-static refused the gateway's credential — ask an admin to check the headers: of jira-static/);
  });

  test('neither the gateway\'s client secret nor any token is in authd\'s log or the audit trail', async () => {
    const audit = await readFile(join(gw.dir, '.mcpgw', 'audit.jsonl'), 'utf8');
    assert.match(audit, /ERR_TOKEN_EXCHANGE_REFUSED/);
    for (const text of [audit, logs.join('\n')]) {
      assert.ok(!text.includes(SECRET));
      assert.ok(!text.includes(token.alice!) && !text.includes(token.mallory!));
      assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}\./);
    }
  });
});
