// Signing a person in to the web UI: OpenID Connect Authorization Code + PKCE with
// openid-client, the redirect coming back to <public_url>/ui/callback. The access token is
// requested for the gateway's audience (RFC 8707) and verified exactly as authd verifies
// bearer tokens, so the UI sees the same identity and groups as every other entry point.
import * as oidc from 'openid-client';
import type { IdentityProvider } from '../../core/config/settings.js';
import type { Identity } from '../../core/identity/identity.js';
import { AuthError } from '../../core/identity/errors.js';
import { discoverProvider } from '../../core/identity/provider-discovery.js';
import { TokenVerifier } from '../../core/identity/token-verifier.js';
import { LoginFailedError } from './errors.js';
import type { PendingLogin } from './session-store.js';

export interface WebLoginOptions {
  provider: IdentityProvider;
  clientId: string;
  /** <public_url>/ui/callback — must be registered with the provider for this client. */
  redirectUri: string;
}

export class WebLogin {
  private config?: Promise<oidc.Configuration>;
  private readonly verifier: TokenVerifier;

  constructor(private readonly options: WebLoginOptions) {
    // API keys are for machines; a person signs in through the provider only.
    this.verifier = new TokenVerifier([options.provider], () => []);
  }

  private configuration(): Promise<oidc.Configuration> {
    this.config ??= discoverProvider(this.options.provider, this.options.clientId).catch((err: unknown) => {
      this.config = undefined; // retry discovery on the next sign-in rather than cache a failure
      throw err;
    });
    return this.config;
  }

  /** The provider URL to send the browser to; `pending` is kept by the caller until the callback. */
  async authorizationUrl(pending: PendingLogin): Promise<string> {
    const url = oidc.buildAuthorizationUrl(await this.configuration(), {
      redirect_uri: this.options.redirectUri,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      resource: this.options.provider.audience,
    });
    return url.toString();
  }

  /** Exchange the code from the callback URL and verify the access token as authd would. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<Identity> {
    const error = callbackUrl.searchParams.get('error');
    if (error) throw new LoginFailedError(`the provider refused the sign-in: ${error} ${callbackUrl.searchParams.get('error_description') ?? ''}`.trim());
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.authorizationCodeGrant(
        await this.configuration(),
        callbackUrl,
        { pkceCodeVerifier: pending.codeVerifier, expectedState: pending.state },
        { resource: this.options.provider.audience },
      );
    } catch (err) {
      throw new LoginFailedError(`the sign-in could not be completed: ${(err as Error).message}`);
    }
    try {
      return await this.verifier.verify(tokens.access_token);
    } catch (err) {
      if (err instanceof AuthError) throw new LoginFailedError(`the provider's access token is not accepted by this gateway: ${err.message}`);
      throw err;
    }
  }
}

export function newCodeVerifier(): string {
  return oidc.randomPKCECodeVerifier();
}
