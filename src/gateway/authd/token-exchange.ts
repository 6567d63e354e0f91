// RFC 8693 token exchange for `upstream_auth: token_exchange`: the caller's verified token goes
// to its identity provider's token endpoint (the gateway's own client, secret by reference),
// which answers with a token for the upstream's audience. Cached per (subject, service) until
// shortly before it expires, bounded; concurrent calls of one caller share one exchange.
import * as oidc from 'openid-client';
import type { IdentityProvider } from '../../core/config/settings.js';
import type { TokenExchangeAuth } from '../../core/config/upstream-auth.js';
import { resolveSecrets } from '../../core/config/secrets.js';
import { discoverProvider } from '../../core/identity/provider-discovery.js';
import type { Identity } from '../../core/identity/identity.js';
import { ExpiringCache } from './decision-cache.js';
import { oauthErrorOf, UpstreamCredentialError } from './upstream-credential-errors.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** Exchanged tokens kept at most (oldest dropped first). */
const MAX_CACHED = 10_000;
/** A provider that states no lifetime: keep its token this long. */
const DEFAULT_LIFETIME_MS = 60_000;

/** Renew this long before the exchanged token expires: a minute, or a fifth of a short lifetime. */
export function renewalMargin(lifetimeMs: number): number {
  return Math.min(60_000, lifetimeMs / 5);
}

export class TokenExchanger {
  readonly cache = new ExpiringCache<string>(MAX_CACHED);
  private readonly pending = new Map<string, Promise<string>>();
  private readonly configs = new Map<string, Promise<oidc.Configuration>>();

  constructor(
    private readonly providers: readonly IdentityProvider[],
    /** The checkout: relative `${file:…}` references resolve against it. */
    private readonly root: string,
  ) {}

  /** A token for the upstream, from the cache or a new exchange; throws UpstreamCredentialError. */
  async tokenFor(service: string, auth: TokenExchangeAuth, identity: Identity, subjectToken: string): Promise<string> {
    const provider = identity.issuer ? this.providers.find((p) => p.issuer === identity.issuer) : undefined;
    if (!provider) {
      throw new UpstreamCredentialError('ERR_TOKEN_EXCHANGE_NEEDS_PROVIDER_TOKEN', 'denied', `${service} gets a token exchanged from yours, which needs a token from the identity provider (an API key cannot be exchanged)`, 'sign in with `mcpgw login` and call with that token', { server: service });
    }
    const key = [provider.issuer, identity.subject, service, auth.audience, auth.resource ?? '', auth.scope ?? ''].join('\u0000');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const running = this.pending.get(key);
    if (running) return running;
    const exchange = this.exchange(service, auth, provider, subjectToken, key).finally(() => this.pending.delete(key));
    this.pending.set(key, exchange);
    return exchange;
  }

  /** Forget the exchanged token of one caller for one service (the upstream refused it). */
  forget(identity: Pick<Identity, 'issuer' | 'subject'>, service: string): void {
    this.cache.deleteWhere((key) => key.startsWith(`${identity.issuer ?? ''}\u0000${identity.subject}\u0000${service}\u0000`));
  }

  private async exchange(service: string, auth: TokenExchangeAuth, provider: IdentityProvider, subjectToken: string, key: string): Promise<string> {
    const config = await this.configFor(service, provider);
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.genericGrantRequest(config, TOKEN_EXCHANGE_GRANT, {
        subject_token: subjectToken,
        subject_token_type: ACCESS_TOKEN_TYPE,
        requested_token_type: ACCESS_TOKEN_TYPE,
        audience: auth.audience,
        ...(auth.resource ? { resource: auth.resource } : {}),
        ...(auth.scope ? { scope: auth.scope } : {}),
      });
    } catch (err) {
      const oauth = oauthErrorOf(err);
      if (oauth) {
        throw new UpstreamCredentialError('ERR_TOKEN_EXCHANGE_REFUSED', 'denied', `the identity provider refused to exchange your token for ${service}: ${oauth.error}${oauth.description ? ` (${oauth.description})` : ''}`, `ask an admin whether your account may use ${service} (audience ${auth.audience})`, { server: service, oauth_error: oauth.error });
      }
      throw new UpstreamCredentialError('ERR_TOKEN_EXCHANGE_UNAVAILABLE', 'unavailable', `the identity provider could not be reached to exchange your token for ${service}: ${(err as Error).message}`, 'try again shortly', { server: service });
    }
    const lifetime = typeof tokens.expires_in === 'number' ? tokens.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    this.cache.set(key, tokens.access_token, Date.now() + lifetime - renewalMargin(lifetime));
    return tokens.access_token;
  }

  /** Discovery once per provider; a failure is not kept (the next call tries again). */
  private configFor(service: string, provider: IdentityProvider): Promise<oidc.Configuration> {
    const client = provider.token_exchange;
    if (!client) {
      return Promise.reject(new UpstreamCredentialError('ERR_TOKEN_EXCHANGE_NOT_CONFIGURED', 'unavailable', `${service} needs token exchange, but the gateway has no exchange client at ${provider.issuer}`, 'an admin sets identity.providers[].token_exchange {client_id, client_secret} in mcpgw.yaml', { server: service }));
    }
    let config = this.configs.get(provider.issuer);
    if (!config) {
      config = (async () => {
        try {
          return await discoverProvider(provider, client.client_id, { clientSecret: resolveSecrets(client.client_secret, this.root) });
        } catch (err) {
          this.configs.delete(provider.issuer);
          throw new UpstreamCredentialError('ERR_TOKEN_EXCHANGE_UNAVAILABLE', 'unavailable', `the gateway's exchange client at ${provider.issuer} is not usable: ${(err as Error).message}`, 'try again shortly; an admin checks identity.providers[].token_exchange', { server: service });
        }
      })();
      this.configs.set(provider.issuer, config);
    }
    return config;
  }
}
