// The caller's own upstream token for `upstream_auth: delegated_oauth`, from the grant they
// stored with `mcpgw connect` (core/state/upstream-grants). One stat per call notices a
// revocation (the file is gone) or a reconnect (it changed); an expired access token is
// renewed with the refresh token at the upstream's authorization server and stored again.
import * as oidc from 'openid-client';
import type { ServiceDefinition } from '../../core/config/service.js';
import type { DelegatedOAuthAuth } from '../../core/config/upstream-auth.js';
import type { Identity } from '../../core/identity/identity.js';
import { upstreamClientConfig } from '../../core/identity/upstream-authorization.js';
import type { UpstreamGrant, UpstreamGrantStore } from '../../core/state/upstream-grants.js';
import type { DelegatedTokenSource } from './upstream-credentials.js';
import { oauthErrorOf, UpstreamCredentialError } from './upstream-credential-errors.js';

/** Renew a delegated access token this long before it expires. */
const RENEW_BEFORE_MS = 30_000;
const fresh = (grant: UpstreamGrant) => grant.expires_at === undefined || Date.now() < grant.expires_at - RENEW_BEFORE_MS;

interface Held {
  changedAt: number;
  accessToken: string;
  /** Epoch ms after which the token is renewed; Infinity when the server named no expiry. */
  renewAt: number;
}

export class DelegatedTokens implements DelegatedTokenSource {
  private readonly held = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly store: UpstreamGrantStore,
    private readonly root: string,
    /** How a user connects (the web UI's URL for the service, when there is one). */
    private readonly connectUrl: (service: string) => string | undefined = () => undefined,
  ) {}

  async accessTokenFor(service: ServiceDefinition, identity: Identity): Promise<string> {
    const auth = service.upstream_auth as DelegatedOAuthAuth;
    if (!identity.issuer) throw this.notConnected(service.name, 'an API key has no upstream account; sign in with `mcpgw login`');
    const owner = { issuer: identity.issuer, subject: identity.subject, service: service.name };
    const file = this.store.fileOf(owner);
    const changedAt = await this.store.changedAt(owner);
    if (changedAt === undefined) {
      this.held.delete(file);
      throw this.notConnected(service.name);
    }
    const held = this.held.get(file);
    if (held && held.changedAt === changedAt && Date.now() < held.renewAt) return held.accessToken;
    const running = this.pending.get(file);
    if (running) return running;
    const renewing = this.renew(service.name, auth, owner, file).finally(() => this.pending.delete(file));
    this.pending.set(file, renewing);
    return renewing;
  }

  /** Forget the held token of one caller (the upstream refused it): the next call renews. */
  forget(identity: Pick<Identity, 'issuer' | 'subject'>, service: string): void {
    if (identity.issuer) this.held.delete(this.store.fileOf({ issuer: identity.issuer, subject: identity.subject, service }));
  }

  private async renew(service: string, auth: DelegatedOAuthAuth, owner: { issuer: string; subject: string; service: string }, file: string): Promise<string> {
    const grant = await this.store.load(owner).catch((err: Error) => {
      throw new UpstreamCredentialError('ERR_UPSTREAM_GRANT_UNREADABLE', 'unavailable', err.message, `connect again: mcpgw connect ${service}`, { server: service });
    });
    if (!grant) throw this.notConnected(service);
    // A token still good in the file (a new connection, or another authd renewed it): use it.
    if (fresh(grant)) return this.hold(file, grant);
    if (!grant.refresh_token) throw this.notConnected(service, 'your upstream token expired and there is no refresh token');
    let tokens: oidc.TokenEndpointResponse;
    try {
      const config = await upstreamClientConfig(grant.authorization_server, auth, this.root);
      tokens = await oidc.refreshTokenGrant(config, grant.refresh_token, grant.resource ? { resource: grant.resource } : undefined);
    } catch (err) {
      const oauth = oauthErrorOf(err);
      if (oauth) {
        // invalid_grant: revoked or expired at the server — the stored grant is useless now.
        await this.store.remove(owner);
        this.held.delete(file);
        throw this.notConnected(service, `the authorization server refused to renew your token (${oauth.error})`);
      }
      throw new UpstreamCredentialError('ERR_UPSTREAM_AUTHORIZATION_UNAVAILABLE', 'unavailable', `the authorization server of ${service} could not renew your token: ${(err as Error).message}`, 'try again shortly', { server: service });
    }
    const renewed: UpstreamGrant = {
      ...grant,
      access_token: tokens.access_token,
      // Servers that do not rotate refresh tokens leave them out of the answer (RFC 6749 §6).
      refresh_token: tokens.refresh_token ?? grant.refresh_token,
      expires_at: typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : undefined,
      connected_at: grant.connected_at,
    };
    await this.store.save(renewed);
    return this.hold(file, renewed);
  }

  private async hold(file: string, grant: UpstreamGrant): Promise<string> {
    const changedAt = (await this.store.changedAt(grant)) ?? 0;
    this.held.set(file, { changedAt, accessToken: grant.access_token, renewAt: grant.expires_at === undefined ? Infinity : grant.expires_at - RENEW_BEFORE_MS });
    return grant.access_token;
  }

  private notConnected(service: string, why?: string): UpstreamCredentialError {
    const url = this.connectUrl(service);
    return new UpstreamCredentialError(
      'ERR_UPSTREAM_NOT_CONNECTED',
      'denied',
      `${service} acts as you with your own account there, which is not connected${why ? ` (${why})` : ''}`,
      `connect it once: mcpgw connect ${service}${url ? ` (or open ${url})` : ''}, then call again`,
      { server: service, connect: `mcpgw connect ${service}`, ...(url ? { connect_url: url } : {}) },
    );
  }
}
