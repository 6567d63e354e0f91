// Federation's pure core: a peer's catalogue → read-only services here, and the peer settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { peerServices, withPeerServices, type PeerCatalogue } from '../../../src/core/config/federation.js';
import { serviceSchema } from '../../../src/core/config/service.js';
import { settingsSchema } from '../../../src/core/config/settings.js';

const peer = { name: 'east', url: 'https://east.example.com', token: '${env:EAST_TOKEN}' };
const entry = (service: string, url: string, own: Record<string, unknown> = {}) => ({
  server: { name: `com.example.east/${service}`, description: 'short', version: '1.0.0', remotes: [{ type: 'streamable-http', url }] },
  _meta: { 'io.mcpgw/service': { service, path: `/${service}`, description: `${service}, the whole description`, tags: ['t'], ...own } },
});
const catalogue = (servers: PeerCatalogue['servers']): PeerCatalogue => ({ peer: 'east', url: peer.url, fetched_at: '2026-01-01T00:00:00Z', servers });

test("a peer's service is named <peer>--<name> at /<peer><path>, sent to the peer with this gateway's credential", () => {
  const { services, skipped } = peerServices(peer, catalogue([entry('weather', 'https://east.example.com/weather/mcp')]));
  assert.deepEqual(skipped, []);
  const [svc] = services;
  assert.deepEqual([svc!.name, svc!.path, svc!.upstreams, svc!.headers, svc!.federation, svc!.description], [
    'east--weather',
    '/east/weather',
    ['https://east.example.com/weather/mcp'],
    { Authorization: 'Bearer ${env:EAST_TOKEN}' },
    { peer: 'east', prefix: '/weather' },
    'weather, the whole description',
  ]);
});

test("the credential goes to the peer only: remotes elsewhere, or outside the service's path, are left out; a peer's own peers are not passed on", () => {
  const { services, skipped } = peerServices(
    peer,
    catalogue([entry('a', 'https://evil.example.net/a/mcp'), entry('b', 'https://east.example.com/other/mcp'), entry('c', 'https://east.example.com/c/mcp', { peer: 'north' })]),
  );
  assert.deepEqual(services, []);
  assert.equal(skipped.length, 2);
  assert.match(skipped[0]!, /not under https:\/\/east.example.com\/a/);
});

test('a local name or path wins over a peer service', () => {
  const local = { ...serviceSchema.parse({ name: 'east--weather', path: '/east', upstream: 'http://127.0.0.1:9/mcp' }), file: 'registry.d/east--weather.yaml' };
  const { services: remote } = peerServices(peer, catalogue([entry('weather', 'https://east.example.com/weather/mcp')]));
  const merged = withPeerServices([local], remote);
  assert.deepEqual(merged.services.map((s) => s.file), ['registry.d/east--weather.yaml']);
  assert.match(merged.skipped[0]!, /already has/);
});

test('a peer token is a reference, never the token itself', () => {
  assert.equal(settingsSchema.safeParse({ federation: { peers: [peer] } }).success, true);
  const inline = settingsSchema.safeParse({ federation: { peers: [{ ...peer, token: 'mcpgw_sk_0123456789abcdef0123456789abcdef' }] } });
  assert.equal(inline.success, false);
  assert.equal(settingsSchema.safeParse({ federation: { peers: [{ ...peer, name: 'East Side' }] } }).success, false);
});
