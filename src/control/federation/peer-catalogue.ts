// `mcpgw federation refresh`: read each peer gateway's catalogue (its /v0.1, with this
// gateway's credential there) into the state dir, where project loading turns it into
// read-only services (core/config/federation). Each peer is written whole or not at all.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import type { PeerCatalogue } from '../../core/config/federation.js';
import type { Project } from '../../core/config/project.js';
import { resolveSecrets } from '../../core/config/secrets.js';
import { isMcpgwError } from '../../core/errors.js';
import { stateLayout } from '../../core/state/layout.js';
import { readRegistry } from '../registry/registry-api-client.js';

export interface PeerRefresh {
  peer: string;
  url: string;
  /** Servers the peer lists for this gateway; absent when it could not be read. */
  servers?: number;
  error?: { code: string; message: string; hint?: string };
}

export async function refreshPeers(project: Project, only?: string): Promise<PeerRefresh[]> {
  const peers = project.settings.federation.peers.filter((p) => !only || p.name === only);
  return Promise.all(
    peers.map(async (peer): Promise<PeerRefresh> => {
      try {
        const token = resolveSecrets(peer.token, project.paths.root);
        const servers = await readRegistry(peer.url, { token });
        const catalogue: PeerCatalogue = { peer: peer.name, url: peer.url, fetched_at: new Date().toISOString(), servers };
        const file = stateLayout(project.stateDir).peerCatalogueFile(peer.name);
        await mkdir(dirname(file), { recursive: true });
        await writeFileAtomic(file, `${JSON.stringify(catalogue, null, 2)}\n`, 0o600);
        return { peer: peer.name, url: peer.url, servers: servers.length };
      } catch (err) {
        if (!isMcpgwError(err)) throw err;
        // The last good catalogue stays: a peer that is down keeps its services listed (and answers 502).
        return { peer: peer.name, url: peer.url, error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
      }
    }),
  );
}
