// One gateway among several: the node's id (it prefixes the stdio host's session ids, so any
// node can tell which node owns a session), where its peers' gateways answer, and its health
// endpoints. Pure: the environment and host name arrive as arguments.
import { z } from 'zod';
import { listenAddress } from './common.js';
import type { Settings } from './settings.js';

/** A DNS label (RFC 1123): a pod name, a host name — and safe inside a session id and a dial address. */
export const NODE_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `{node}.<domain>:<port>`: the owner's label in front of a fixed domain, so a session id can name only a peer. */
const PEER_TEMPLATE = /^\{node\}(\.[A-Za-z0-9-]+)+:\d{1,5}$/;

export const nodeSettingsSchema = z
  .object({
    /** Default: $MCPGW_NODE_ID, else the host name (a pod's name). */
    id: z.string().regex(NODE_ID, 'must be a DNS label (lower-case letters, digits, "-")').optional(),
    /** /livez and /readyz of `mcpgw up --foreground` (off unless set; 0.0.0.0:8090 in a pod, for the kubelet). */
    health_listen: listenAddress.optional(),
    /**
     * How this node reaches a peer's gateway listener by the peer's id: a template
     * (`{node}.mcpgw-peers.mcpgw.svc.cluster.local:8080`, a StatefulSet's headless Service) or a
     * map of ids to host:port. Set: the gateway runs as several nodes (session forwarding on).
     */
    peers: z
      .union([
        z.string().regex(PEER_TEMPLATE, 'must be {node}.<domain>:<port>, e.g. {node}.mcpgw-peers.mcpgw.svc.cluster.local:8080'),
        z.record(z.string().regex(NODE_ID, 'a peer id must be a DNS label'), listenAddress),
      ])
      .optional(),
  })
  .strict()
  .default({});

export type NodeSettings = z.infer<typeof nodeSettingsSchema>;

export const NODE_HINTS = {
  health_listen: 'use host:port, e.g. 0.0.0.0:8090 (the kubelet probes the pod address)',
  'unknown:node': 'node has id, health_listen, peers',
};

/** A host name as a DNS label: lower case, other characters as "-", at most 63. */
function asLabel(name: string): string {
  const label = name.toLowerCase().split('.')[0]!.replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return label || 'node';
}

/** The environment variable that names the node (a pod's name); `up` also gives it to Caddy, whose forwarding routes read it. */
export const NODE_ID_ENV = 'MCPGW_NODE_ID';

/** This node's id: node.id, else $MCPGW_NODE_ID, else the host name. */
export function nodeIdOf(settings: Pick<Settings, 'node'>, env: NodeJS.ProcessEnv, hostname: string): string {
  const named = env[NODE_ID_ENV];
  return settings.node.id ?? (named && NODE_ID.test(named) ? named : asLabel(hostname));
}

/** Whether this gateway runs as one of several nodes (sessions then name their node). */
export function isMultiNode(settings: Pick<Settings, 'node'>): boolean {
  return settings.node.peers !== undefined;
}

/** The prefix a node puts before the session ids it makes: `<node id>.`. */
export function sessionIdPrefix(nodeId: string): string {
  return `${nodeId}.`;
}

/** The owner named by a session id, if it carries one. */
export function sessionOwnerOf(sessionId: string): string | undefined {
  const dot = sessionId.indexOf('.');
  const owner = dot > 0 ? sessionId.slice(0, dot) : '';
  return NODE_ID.test(owner) ? owner : undefined;
}
