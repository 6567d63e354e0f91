// The per-caller credential a service's `upstream_auth` asks for: an exchanged token
// (token_exchange) or the caller's own token at the upstream's authorization server
// (delegated_oauth); none for static services, whose `headers:` Caddy adds itself.
import type { ServiceDefinition } from '../../core/config/service.js';
import type { Identity } from '../../core/identity/identity.js';
import type { JsonRpcId } from '../../core/wire/mcp-request.js';
import { headerKey, UPSTREAM_CREDENTIAL_HEADER } from '../../core/wire/contract.js';
import { refusal, type AuthdAnswer } from './rpc-answer.js';
import type { TokenExchanger } from './token-exchange.js';
import { UpstreamCredentialError } from './upstream-credential-errors.js';

/** A delegated-OAuth token source (delegated-tokens.ts). */
export interface DelegatedTokenSource {
  accessTokenFor(service: ServiceDefinition, identity: Identity): Promise<string>;
  forget(identity: Pick<Identity, 'issuer' | 'subject'>, service: string): void;
}

export class UpstreamCredentials {
  constructor(
    readonly exchanger: TokenExchanger,
    readonly delegated?: DelegatedTokenSource,
  ) {}

  /**
   * authd's extra 2xx headers for this call (the upstream credential), or {} at once (no promise
   * to wait for) for a static service; rejects with UpstreamCredentialError.
   */
  headersFor(service: ServiceDefinition, identity: Identity, callerToken: string): Record<string, string> | Promise<Record<string, string>> {
    if (service.upstream_auth.mode === 'static') return {};
    return this.credentialFor(service, identity, callerToken);
  }

  private async credentialFor(service: ServiceDefinition, identity: Identity, callerToken: string): Promise<Record<string, string>> {
    const auth = service.upstream_auth;
    const token = auth.mode === 'token_exchange' ? await this.exchanger.tokenFor(service.name, auth, identity, callerToken) : await this.delegatedToken(service, identity);
    return { [headerKey(UPSTREAM_CREDENTIAL_HEADER)]: `Bearer ${token}` };
  }

  /** The upstream refused a caller's credential: the next call exchanges or reloads it. */
  forget(identity: Pick<Identity, 'issuer' | 'subject'>, service: string): void {
    this.exchanger.forget(identity, service);
    this.delegated?.forget(identity, service);
  }

  private delegatedToken(service: ServiceDefinition, identity: Identity): Promise<string> {
    if (!this.delegated) {
      return Promise.reject(new UpstreamCredentialError('ERR_UPSTREAM_CREDENTIALS_OFF', 'unavailable', `${service.name} uses delegated OAuth, but this authd keeps no user credentials`, 'an admin sets upstream_credentials.encryption_key in mcpgw.yaml and restarts the gateway', { server: service.name }));
    }
    return this.delegated.accessTokenFor(service, identity);
  }
}

/** The JSON-RPC refusal for a credential authd could not get: what happened and what to do. */
export function upstreamCredentialAnswer(err: UpstreamCredentialError, id: JsonRpcId): AuthdAnswer {
  return refusal(id, err);
}
