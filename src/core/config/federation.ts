// Federation: a peer gateway's services (mcpgw.yaml federation.peers), as its /v0.1 catalogue
// last said (state dir federation/<peer>.json), become read-only services of this gateway:
// named <peer>--<name> at /<peer><path>, proxied to the peer with this gateway's credential
// there. This gateway's policy decides first (scopes.yml names them like any service), the
// peer's authd decides again for this gateway's identity.
import { serviceSchema, type ServiceDefinition } from './service.js';
import type { FederationPeer, Settings } from './settings.js';
import { pathCovers, routeKey } from './service-paths.js';
import { REGISTRY_META } from '../wire/contract.js';
import { readJson } from '../state/snapshots.js';
import { stateLayout } from '../state/layout.js';

/** What `mcpgw federation refresh` writes for one peer: its ServerList entries, as read. */
export interface PeerCatalogue {
  peer: string;
  url: string;
  fetched_at: string;
  servers: { server: Record<string, unknown>; _meta?: Record<string, unknown> }[];
}

export const FEDERATED_SEPARATOR = '--';

type Json = Record<string, unknown>;

/** Pure: the peer's services as definitions of this gateway, and what was left out (with why). */
export function peerServices(peer: FederationPeer, catalogue: PeerCatalogue): { services: ServiceDefinition[]; skipped: string[] } {
  const services: ServiceDefinition[] = [];
  const skipped: string[] = [];
  const origin = new URL(peer.url).origin;
  for (const entry of catalogue.servers) {
    const server = entry.server as Json;
    const own = ((entry._meta ?? {})[REGISTRY_META.mcpgw] ?? {}) as Json;
    const label = String(server.name ?? '?');
    // One hop: a peer's own federated services are its peers' to offer, not ours to pass on.
    if (own.peer) continue;
    const remote = ((server.remotes ?? []) as Json[]).find((r) => (r.type === 'streamable-http' || r.type === 'sse') && typeof r.url === 'string');
    const name = typeof own.service === 'string' ? own.service : label.split('/').pop()!;
    const path = typeof own.path === 'string' ? own.path : `/${name}`;
    if (!remote) {
      skipped.push(`${label}: no streamable-http or sse remote`);
      continue;
    }
    const upstream = String(remote.url);
    // The peer's credential goes only to the peer: a catalogue pointing elsewhere is not followed.
    if (!URL.canParse(upstream) || new URL(upstream).origin !== origin || !pathCovers(path, new URL(upstream).pathname)) {
      skipped.push(`${label}: its remote ${upstream} is not under ${origin}${path}`);
      continue;
    }
    const parsed = serviceSchema.safeParse({
      name: `${peer.name}${FEDERATED_SEPARATOR}${name}`,
      path: `/${peer.name}${path}`,
      description: typeof own.description === 'string' ? own.description : String(server.description ?? ''),
      tags: Array.isArray(own.tags) ? own.tags.filter((t) => typeof t === 'string') : [],
      enabled: own.enabled !== false,
      transport: remote.type,
      upstream,
      headers: { Authorization: `Bearer ${peer.token}` },
      metadata: { federation: { peer: peer.name, url: peer.url, name: label, ...(typeof server.version === 'string' ? { version: server.version } : {}) } },
    });
    if (!parsed.success) {
      skipped.push(`${label}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
      continue;
    }
    services.push({ ...parsed.data, file: `(peer ${peer.name}: ${label})`, federation: { peer: peer.name, prefix: path } });
  }
  return { services, skipped };
}

/** Pure: add the peers' services to the local ones; a name or path already taken locally stays local. */
export function withPeerServices(local: readonly ServiceDefinition[], remote: readonly ServiceDefinition[]): { services: ServiceDefinition[]; skipped: string[] } {
  const skipped: string[] = [];
  const out = [...local];
  for (const svc of remote) {
    const clash = out.find((s) => s.name === svc.name || pathCovers(s.path, svc.path) || pathCovers(svc.path, s.path) || routeKey(s.path) === routeKey(svc.path));
    if (clash) {
      skipped.push(`${svc.name}: ${clash.federation ? 'another peer service' : clash.file} already has ${clash.name === svc.name ? `the name ${svc.name}` : `the path ${clash.path}`}`);
      continue;
    }
    out.push(svc);
  }
  return { services: out.sort((a, b) => a.name.localeCompare(b.name)), skipped };
}

/** Every peer's services from the catalogues in the state dir (a peer never refreshed has none yet). */
export async function loadPeerServices(settings: Settings, stateDir: string): Promise<{ services: ServiceDefinition[]; skipped: string[] }> {
  const services: ServiceDefinition[] = [];
  const skipped: string[] = [];
  for (const peer of settings.federation.peers) {
    const catalogue = await readJson<PeerCatalogue>(stateLayout(stateDir).peerCatalogueFile(peer.name)).catch(() => undefined);
    if (!catalogue || !Array.isArray(catalogue.servers)) continue;
    const found = peerServices(peer, catalogue);
    services.push(...found.services);
    skipped.push(...found.skipped.map((s) => `federation peer ${peer.name}: ${s}`));
  }
  return { services, skipped };
}
