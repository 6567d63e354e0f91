// Imports over a corpus of real files (test/fixtures/import/corpus, sources in SOURCES.md): every
// field with a place in registry.d arrives there, and what has no place is kept under metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { documentsOf, importService, ImportFormatError, type ImportOptions } from '../../../src/control/registry/import-formats.js';
import { serviceSchema } from '../../../src/core/config/service.js';
import { REPO_ROOT } from '../../../testkit/cli.js';

const CORPUS = join(REPO_ROOT, 'test', 'fixtures', 'import', 'corpus');
const everywhere: ImportOptions = { hasRuntime: () => true };

async function load(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(CORPUS, file), 'utf8'));
}

/** Keys of the source that registry.d fields carry; the rest must be found under metadata. */
const PLACED_REFERENCE = ['description', 'path', 'tags', 'is_enabled', 'tool_list', 'headers', 'metadata'];
const PLACED_SERVER_JSON = ['name', 'description', '$schema', 'remotes', 'packages'];

test('every corpus file imports into a definition that validates, and no source field is lost', async () => {
  const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 8);
  let imported = 0;
  for (const file of files) {
    for (const doc of documentsOf(await load(file)) as Record<string, unknown>[]) {
      let fields;
      try {
        fields = importService(doc, { ...everywhere, vars: { host: 'api.example.com' }, ...(file.includes('mcpgw') ? { name: 'old-registry-tools' } : {}) });
      } catch (err) {
        // The corpus holds one docker-only entry: refused with the reason, never half-imported.
        assert.ok(err instanceof ImportFormatError, `${file}: ${(err as Error).message}`);
        assert.match(err.message, /docker package .*does not run containers/);
        continue;
      }
      imported++;
      const parsed = serviceSchema.safeParse(fields);
      assert.ok(parsed.success, `${file} ${String(doc.name ?? doc.server_name)}: ${JSON.stringify(parsed.success ? '' : parsed.error.issues)}`);
      const reference = 'proxy_pass_url' in doc;
      for (const key of Object.keys(doc)) {
        if ((reference ? PLACED_REFERENCE : PLACED_SERVER_JSON).includes(key)) continue;
        assert.ok(key in (fields.metadata ?? {}), `${file}: "${key}" neither placed nor kept under metadata`);
      }
      if (reference && doc.metadata) for (const key of Object.keys(doc.metadata as object)) assert.ok(key in fields.metadata!, `${file}: metadata.${key} lost`);
      if (reference) assert.equal(fields.tools?.length, (doc.tool_list as unknown[]).length);
      if (doc.description) assert.equal(fields.description, doc.description);
    }
  }
  assert.ok(imported >= 10);
});

test('reference JSON: the MCP endpoint is proxy_pass_url + mcp or sse by its transport, sse kept', async () => {
  const fininfo = importService(await load('reference-2025-fork-fininfo-sse.json'));
  assert.equal(fininfo.transport, 'sse');
  assert.equal(fininfo.upstream, 'http://fininfo-server:8001/sse');
  const older = importService(await load('reference-2025-06-fininfo.json'));
  assert.equal(older.transport, 'streamable-http', 'no supported_transports: the reference default, streamable-http');
  assert.equal(older.upstream, 'http://fininfo-server:8001/fininfo/mcp');
  assert.equal(fininfo.path, '/fininfo');
  assert.equal(fininfo.metadata!.resource_list !== undefined, true);
  const currenttime = importService(await load('reference-2025-06-currenttime.json'));
  assert.equal(currenttime.transport, 'streamable-http');
  assert.equal(currenttime.upstream, 'http://currenttime-server:8000/currenttime/mcp');
  const xquik = importService(await load('reference-2026-xquik.json'));
  assert.equal(xquik.upstream, 'https://xquik.com/mcp', 'a URL already ending in /mcp is kept');
  assert.equal(xquik.path, '/xquik');
});

test('reference JSON: $VAR headers and auth_scheme bearer become ${env:…} references; custom metadata kept', async () => {
  const xquik = importService(await load('reference-2026-xquik.json'));
  assert.deepEqual(xquik.headers, { 'X-API-Key': '${env:XQUIK_API_KEY}' });
  assert.equal(xquik.metadata!.homepage, 'https://docs.xquik.com');
  assert.equal(xquik.metadata!.auth_scheme, 'api_key');
  const you = importService(await load('reference-2026-youcom-authenticated.json'));
  assert.deepEqual(you.headers, { Authorization: 'Bearer ${env:YOUCOM_TOKEN}' });
  assert.equal(you.metadata!.owner, 'integrations@you.com');
  assert.equal(you.metadata!.team, 'ai-development-tools');
  assert.equal(you.metadata!.cost_center, 'CC-2001');
  assert.deepEqual(you.metadata!.compliance, ['SOC2', 'GDPR']);
  assert.equal(you.metadata!.server_name, 'You.com Search & Research (Authenticated)');
  const literal = importService({ server_name: 's', path: '/s', proxy_pass_url: 'http://s:1/', headers: [{ Authorization: 'Bearer abcdefghijklmnop' }, { 'X-Team': 'blue' }] });
  assert.deepEqual(literal.headers, { Authorization: '${env:S_AUTHORIZATION}', 'X-Team': 'blue' }, 'a literal credential is never copied');
});

test('the reference registry server "mcpgw" is refused with the way out, and imports under --name/--path', async () => {
  const doc = await load('reference-2025-06-mcpgw.json');
  assert.throws(() => importService(doc), (e: Error) => e instanceof ImportFormatError && /"mcpgw" is reserved.*--name mcpgw-imported --path \/mcpgw-imported/.test(e.message));
  const renamed = importService(doc, { name: 'old-registry' });
  assert.equal(renamed.name, 'old-registry');
  assert.equal(renamed.path, '/old-registry');
  assert.equal(renamed.upstream, 'http://mcpgw-server:8003/mcpgw/mcp');
  assert.equal(importService(doc, { name: 'old-registry', path: '/legacy/tools' }).path, '/legacy/tools');
  assert.throws(() => importService(doc, { name: 'x', path: '/mcpgw/x' }), /path "\/mcpgw\/x" is reserved/);
});

test('server.json packages: npm → npx -y pkg@version, PyPI → uvx where it exists, OCI refused with the reason', async () => {
  const pkg = importService(await load('official-2025-12-11-with-package.json'), everywhere);
  assert.equal(pkg.transport, 'stdio');
  assert.deepEqual(pkg.command, { run: ['npx', '-y', '@modelcontextprotocol/server-weather@1.0.0', '--port', '8080'], env: { API_KEY: '${env:API_KEY}' } });
  const withArg = importService(await load('official-2025-12-11-with-package.json'), { ...everywhere, vars: { config_path: '/etc/weather.json' } });
  assert.deepEqual((withArg.command as { run: string[] }).run.slice(3), ['/etc/weather.json', '--port', '8080']);
  const seed = documentsOf(await load('official-seed-2025-05-16-excerpt.json')) as Record<string, unknown>[];
  const adfin = seed.find((d) => d.name === 'io.github.adfin-engineering/mcp-server-adfin')!;
  const run = (c: unknown) => (Array.isArray(c) ? c : (c as { run: string[] }).run);
  assert.deepEqual(run(importService(adfin, everywhere).command).slice(0, 2), ['uvx', 'adfinmcp@0.1.0']);
  assert.throws(() => importService(adfin, { hasRuntime: (c) => c !== 'uvx' }), /pypi package adfinmcp: "uvx" is not on PATH/);
  const magic = seed.find((d) => d.name === 'io.github.21st-dev/magic-mcp')!;
  assert.deepEqual(importService(magic, everywhere).command, { run: ['npx', '-y', '@21st-dev/magic@0.0.46'], env: { API_KEY: '${env:API_KEY}' } });
  const oci = { name: 'io.skaphos/sting', packages: [{ registryType: 'oci', identifier: 'ghcr.io/skaphos/sting', version: '0.8.0', transport: { type: 'stdio' } }] };
  assert.throws(() => importService(oci, everywhere), /oci package ghcr.io\/skaphos\/sting: mcpgw does not run containers/);
});

test('server.json remotes: template variables take --var values or are refused naming them; sse kept', async () => {
  const doc = await load('official-2025-12-11-with-remote.json');
  assert.throws(() => importService(doc), (e: Error) => /template variables without values: host \(API host, default api.example.com\) — pass --var host=…/.test(e.message));
  const filled = importService(doc, { vars: { host: 'weather.internal' } });
  assert.equal(filled.upstream, 'https://weather.internal/mcp');
  assert.deepEqual(filled.headers, { Authorization: '${env:REMOTE_WEATHER_AUTHORIZATION}' });
  assert.equal(filled.metadata!.title, 'Remote Weather');
  assert.equal(filled.metadata!.websiteUrl, 'https://modelcontextprotocol.io/examples');
  assert.deepEqual((filled.metadata!.repository as { subfolder: string }).subfolder, 'src/weather');
  const sse = importService(await load('official-data-io.decisionrules-sse.json'));
  assert.equal(sse.transport, 'sse');
  assert.equal(sse.upstream, 'https://api.decisionrules.io/mcp');
  const cloudflare = (documentsOf(await load('official-seed-2025-05-16-excerpt.json')) as Record<string, unknown>[]).find((d) => d.name === 'io.github.cloudflare/mcp-server-cloudflare')!;
  const cf = importService(cloudflare);
  assert.equal(cf.upstream, 'https://observability.mcp.cloudflare.com/sse');
  assert.equal((cf.metadata!.remotes as unknown[]).length, 1, 'the other remote is kept under metadata');
  assert.ok(cf.metadata!.packages, 'the package not used is kept under metadata');
});
