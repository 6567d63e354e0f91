// A real MCP server (the SDK's McpServer over stateless Streamable HTTP) that, like a Jira or
// GitHub MCP server, accepts only bearer JWTs its authorization server issued for its own
// audience (checked with jose against that server's JWKS). Without one it answers 401 with an
// RFC 9728 challenge naming its resource metadata; with too few scopes 403 insufficient_scope.
// Its `whoami` tool returns the token's subject and audience. It records every Authorization it saw.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { serveStateless } from './sdk-server.js';

export interface AudienceCheckingServerOptions {
  /** The issuer whose tokens are accepted (its JWKS from /.well-known/openid-configuration). */
  issuer: string;
  /** The `aud` every token must carry. */
  audience: string;
  /** A scope `whoami` needs (403 insufficient_scope without it). */
  requiredScope?: string;
}

export interface RunningAudienceCheckingServer {
  url: string;
  /** Every Authorization header value received, in order. */
  authorizations: string[];
  close(): Promise<void>;
}

export async function startAudienceCheckingServer(options: AudienceCheckingServerOptions): Promise<RunningAudienceCheckingServer> {
  const discovery = (await (await fetch(`${options.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const authorizations: string[] = [];
  let origin = '';
  const challenge = (extra = '') => `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"${extra}`;

  const http: HttpServer = createServer(async (req, res) => {
    if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ resource: options.audience, authorization_servers: [options.issuer], scopes_supported: options.requiredScope ? [options.requiredScope] : [] }));
      return;
    }
    const authorization = req.headers.authorization ?? '';
    authorizations.push(authorization);
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(authorization.replace(/^Bearer /, ''), jwks, { issuer: options.issuer, audience: options.audience }));
    } catch {
      res.writeHead(401, { 'www-authenticate': challenge(authorization ? ', error="invalid_token"' : ''), 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    const scopes = String(claims.scope ?? '').split(' ');
    if (options.requiredScope && !scopes.includes(options.requiredScope)) {
      res.writeHead(403, { 'www-authenticate': challenge(`, error="insufficient_scope", scope="${options.requiredScope}"`), 'content-type': 'application/json' }).end('{"error":"insufficient_scope"}');
      return;
    }
    const server = new McpServer({ name: 'audience-checking', version: '1.0.0' });
    server.registerTool('whoami', { description: 'The subject and audience of the token this call carried' }, async () => ({
      content: [{ type: 'text', text: JSON.stringify({ sub: claims.sub, aud: claims.aud }) }],
    }));
    await serveStateless(server, req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url: `${origin}/mcp`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
