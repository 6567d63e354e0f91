// The pure core of /v0.1: a service as a server.json document, and one page of a listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceSchema, type ServiceDefinition } from '../../../src/core/config/service.js';
import { defaultNamespace, serverDocument } from '../../../src/discovery/registry-api/server-document.js';
import { listServers, RegistryQueryError } from '../../../src/discovery/registry-api/server-listing.js';
import { schemaErrors } from './openapi-validator.js';

const service = (name: string, extra: Record<string, unknown> = {}): ServiceDefinition => ({ ...serviceSchema.parse({ name, ...('command' in extra ? {} : { upstream: 'http://127.0.0.1:9000/mcp' }), ...extra }), file: `registry.d/${name}.yaml` });
const ctx = (updatedAt: string) => ({ publicUrl: 'https://mcp.example.com', namespace: 'com.example.mcp', updatedAt });

test('the namespace is the public host reversed; addresses and single labels get local.mcpgw', () => {
  assert.equal(defaultNamespace('https://mcp.example.com'), 'com.example.mcp');
  assert.equal(defaultNamespace('http://127.0.0.1:8080'), 'local.mcpgw');
  assert.equal(defaultNamespace('http://localhost:8080'), 'local.mcpgw');
});

test('every kind of definition becomes a document the official schema accepts', () => {
  const cases = [
    service('plain'),
    service('empty-description', { description: '' }),
    service('long', { description: 'x'.repeat(500), metadata: { title: 't'.repeat(101), websiteUrl: 'not a url', repository: { url: 'https://github.com/a/b' } } }),
    service('sse', { transport: 'sse', upstream: 'http://127.0.0.1:9000/sse', auth: 'none' }),
    service('stdio', { command: 'npx -y @modelcontextprotocol/server-everything stdio' }),
    service('disabled', { enabled: false, metadata: { version: 'latest' } }),
  ];
  for (const svc of cases) {
    const doc = serverDocument(svc, ctx('2026-01-01T00:00:00.000Z'));
    assert.deepEqual(schemaErrors('ServerResponse', doc), [], svc.name);
  }
  const disabled = serverDocument(cases[5]!, ctx('2026-01-01T00:00:00.000Z'));
  assert.equal(disabled._meta['io.modelcontextprotocol.registry/official'].status, 'deprecated');
  assert.notEqual(disabled.server.version, 'latest', '"latest" is not a version the schema allows');
  assert.deepEqual((serverDocument(cases[4]!, ctx('x')).server.remotes as { url: string }[])[0]!.url, 'https://mcp.example.com/stdio/mcp', 'a stdio server is reached through the gateway like any other');
});

test('the version changes with the definition when metadata gives none', () => {
  const a = serverDocument(service('w', { description: 'one' }), ctx('x')).server.version;
  const b = serverDocument(service('w', { description: 'two' }), ctx('x')).server.version;
  assert.notEqual(a, b);
});

test('listing: sorted by name, paged by an opaque cursor, filtered strictly after updated_since', () => {
  const all = ['c', 'a', 'b', 'd'].map((n, i) => serverDocument(service(n), ctx(`2026-01-0${i + 1}T00:00:00.000Z`)));
  const first = listServers(all, { limit: '3' });
  assert.deepEqual(first.servers.map((s) => s.server.name), ['com.example.mcp/a', 'com.example.mcp/b', 'com.example.mcp/c']);
  const second = listServers(all, { limit: '3', cursor: first.metadata.nextCursor });
  assert.deepEqual([second.servers.map((s) => s.server.name), second.metadata.nextCursor], [['com.example.mcp/d'], undefined]);
  // a was updated on the 2nd: strictly after the 2nd leaves b (3rd) and d (4th).
  assert.deepEqual(listServers(all, { updated_since: '2026-01-02T00:00:00Z' }).servers.map((s) => s.server.name), ['com.example.mcp/b', 'com.example.mcp/d']);
  assert.equal(listServers(all, { limit: '1000' }).servers.length, 4, 'limit is capped, not refused');
  for (const bad of [{ limit: '0' }, { limit: 'ten' }, { updated_since: '2026-01-02' }, { cursor: '!!!' }]) assert.throws(() => listServers(all, bad), RegistryQueryError, JSON.stringify(bad));
});
