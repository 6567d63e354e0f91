// Which child a client session runs on. A stdio server sees one client per process: the
// capabilities and roots it was initialized with, and no link from a sampling, elicitation or
// roots/list request back to the client call that caused it (stdio has no related-request id).
// So a session whose client declares any capability the server could call back gets a process
// of its own — what that client would get launching the server itself — and the shared
// process is initialized as a client that declares none, which is what its sessions are.
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ClientIdentity } from './supervised-child.js';

/** Client capabilities that let a server send requests to the client (MCP 2025-11-25, Client Features). */
export const CALLBACK_CAPABILITIES = ['sampling', 'elicitation', 'roots'] as const satisfies readonly (keyof ClientCapabilities)[];

export function declaresCallbacks(capabilities: ClientCapabilities | undefined): boolean {
  return CALLBACK_CAPABILITIES.some((name) => capabilities?.[name] !== undefined);
}

/**
 * A session needs its own child when its client can be called back. A session-less request
 * (2026-07-28) cannot receive server requests on a stdio bridge, so it always shares.
 */
export function needsOwnChild(identity: ClientIdentity, stateful: boolean): boolean {
  return stateful && declaresCallbacks(identity.capabilities);
}

/** The identity a child is initialized with: the session's own, or (shared) no callback capabilities. */
export function placementIdentity(identity: ClientIdentity, shared: boolean): ClientIdentity {
  if (!shared) return identity;
  const capabilities: ClientCapabilities = { ...identity.capabilities };
  for (const name of CALLBACK_CAPABILITIES) delete capabilities[name];
  return { ...identity, capabilities };
}
