// authd's decision for a token_exchange service once the exchanged token is cached, beside the
// same decision for a static service: what per-caller upstream credentials add to the warm path.
// The identity provider here is a minimal stand-in (discovery + a token endpoint with a fixed
// answer): only its first exchange is on the measured path's way, the cached ones never reach it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { JwtVerifier } from '../src/core/identity/jwt-verifier.js';
import { gatewayCheckout } from '../testkit/gateway.js';
import { timed } from './_load.js';

async function stubIssuer() {
  let exchanges = 0;
  const server = createServer((req, res) => {
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, grant_types_supported: ['urn:ietf:params:oauth:grant-type:token-exchange'] }));
      return;
    }
    exchanges++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ access_token: 'exchanged-token-for-the-upstream', issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exchanges: () => exchanges, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function measureCachedTokenExchange(calls = 50_000) {
  process.env.MCPGW_BENCH_EXCHANGE_SECRET = 'bench-exchange-secret';
  const checkout = await gatewayCheckout({
    idp: () => stubIssuer(),
    identityYaml: '      token_exchange: { client_id: mcpgw-gateway, client_secret: "${env:MCPGW_BENCH_EXCHANGE_SECRET}" }\n',
    services: { jira: 'upstream: http://127.0.0.1:9/mcp\nupstream_auth: { mode: token_exchange, audience: https://jira.example.com }\n' },
    scopes: 'groups:\n  developers: [everyday]\nscopes:\n  everyday:\n    servers:\n      "*": { tools: [echo] }\n',
  });
  try {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
    const verifier = new JwtVerifier({ issuer: checkout.idp.issuer, audience: checkout.url, client_id: 'mcpgw-cli', groups_claim: 'groups', algorithms: ['RS256'], clock_skew: 5000 }, jwks);
    const token = await new SignJWT({ sub: 'alice', groups: ['developers'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(checkout.idp.issuer).setAudience(checkout.url).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    const authd = await checkout.startAuthd({ jwtVerifiers: [verifier] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } });
    const request = (service: string) => ({ authorization: `Bearer ${token}`, service, body });
    const first = await authd.authorizer.authorize(request('jira'));
    if (first.status !== 200 || !first.headers['x-mcpgw-upstream-authorization']) throw new Error(`token exchange bench: the first decision was ${first.status} ${first.body}`);
    await authd.authorizer.authorize(request('everything'));
    const staticWarm = await timed(calls, () => authd.authorizer.authorize(request('everything')));
    const exchangedWarm = await timed(calls, () => authd.authorizer.authorize(request('jira')));
    return {
      static_in_process_warm: staticWarm.per_s,
      static_cpu_us: staticWarm.cpu_us,
      token_exchange_cached_in_process_warm: exchangedWarm.per_s,
      token_exchange_cached_cpu_us: exchangedWarm.cpu_us,
      exchanges_at_the_provider: checkout.idp.exchanges(),
      calls,
    };
  } finally {
    delete process.env.MCPGW_BENCH_EXCHANGE_SECRET;
    await checkout.close();
  }
}
