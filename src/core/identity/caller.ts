// Who asks the registry (and calls tools through it): an agent authd let through, with its own
// bearer token, or the local operator over stdio. Shared by discovery (who sees what) and the
// client (whose token a call presents).

export type Caller =
  | {
      kind: 'agent';
      subject: string;
      groups: string[];
      scopes: string[];
      /** The caller's own bearer token, presented to <gateway>/<service> by call_tool. */
      token?: string;
      /** Who owns the sessions this caller opens (core/policy/session-binding). */
      owner?: string;
    }
  | { kind: 'operator'; subject: string };

