// `mcpgw serve` over stdio as a local MCP client starts it, and the pure rules that decide who
// reaches the registry server and what each caller is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { scopesFileSchema } from '../../../src/core/config/scopes.js';
import { decide } from '../../../src/core/policy/policy.js';
import { callerFromHeaders } from '../../../src/discovery/registry-server/caller.js';
import { mayCallTool, maySeeService } from '../../../src/core/policy/registry-access.js';
import { encodeIdentityHeader } from '../../../src/core/identity/identity-header.js';
import { gatewayAnswerOf } from '../../../src/client/gateway-call.js';
import { MAIN, TSX, tempProject } from '../../../testkit/cli.js';
import { SCOPES_YML } from '../../../testkit/gateway-project.js';

const policy = scopesFileSchema.parse(parse(SCOPES_YML.replace('groups:\n', 'groups:\n  outsiders: [browse]\n') + '  browse:\n    registry: [list]\n'));

test('mcpgw serve over stdio lists the catalogue and every change tool for the local operator', async () => {
  const project = await tempProject();
  await mkdir(join(project.dir, 'registry.d'));
  await writeFile(join(project.dir, 'registry.d', 'weather.yaml'), 'name: weather\ndescription: Forecasts by city\nupstream: http://127.0.0.1:9/mcp\n');
  const client = new Client({ name: 'local-ide', version: '1.0.0' });
  try {
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--import', TSX, MAIN, '-C', project.dir, 'serve'], stderr: 'pipe' }));
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['call_tool', 'disable_service', 'enable_service', 'find_tools', 'get_service', 'health', 'list_services', 'refresh_service', 'register_service']);
    const listed = await client.callTool({ name: 'list_services', arguments: {} });
    const services = (listed.structuredContent as { services: { name: string; url: string; health: { status: string } }[] }).services;
    assert.deepEqual(services.map((s) => [s.name, s.url, s.health.status]), [['weather', 'http://127.0.0.1:8080/weather/mcp', 'unknown']]);
    const disabled = await client.callTool({ name: 'disable_service', arguments: { name: 'weather' } });
    assert.ok(!disabled.isError);
    assert.equal((disabled.structuredContent as { gateway: { applied: unknown } }).gateway.applied, false, 'no gateway runs: the next `mcpgw up` applies it');
  } finally {
    await client.close();
    await project.cleanup();
  }
});

test('authd lets holders of any registry right into the registry server, and nobody else', () => {
  const call = { server: 'mcpgw', method: 'tools/call', name: 'find_tools' };
  assert.equal(decide(policy, { groups: ['outsiders'] }, call).allowed, true, 'list only');
  assert.equal(decide(policy, { groups: ['admins'] }, call).allowed, true);
  assert.equal(decide(policy, { groups: ['ci'] }, call).allowed, false, 'server grants but no registry right');
  assert.equal(decide(policy, { groups: [] }, { server: 'mcpgw', method: 'initialize' }).allowed, false);
});

test('callers see services they may use or list, and only the tools they may call', () => {
  const outsider = callerFromHeaders({ 'x-mcpgw-identity': encodeIdentityHeader({ subject: 'api-key:o', kind: 'api-key', groups: ['outsiders'], scopes: [] }) });
  const ci = callerFromHeaders({ 'x-mcpgw-identity': encodeIdentityHeader({ subject: 'bot', kind: 'client-credentials', groups: ['ci'], scopes: [] }), authorization: 'Bearer abc.def.ghi' });
  assert.equal(ci.kind === 'agent' && ci.token, 'abc.def.ghi', 'the caller token is kept for call_tool');
  assert.equal(maySeeService(policy, outsider, 'everything'), true, 'the list right shows every service');
  assert.equal(mayCallTool(policy, outsider, 'everything', 'echo'), false);
  assert.equal(maySeeService(policy, ci, 'everything'), true, 'a grant on the server shows it');
  assert.equal(maySeeService(policy, ci, 'weather'), false);
  assert.deepEqual(['echo', 'get-sum'].filter((t) => mayCallTool(policy, ci, 'everything', t)), ['get-sum']);
  assert.throws(() => callerFromHeaders({ authorization: 'Bearer x' }), { code: 'ERR_NO_IDENTITY' });
});

test('the gateway\'s refusal inside an SDK error keeps its code and message', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32003, message: 'not allowed: tools/call everything:echo', data: { code: 'ERR_FORBIDDEN' } } });
  assert.deepEqual(gatewayAnswerOf(`Error POSTing to endpoint: ${body}`), { code: 'ERR_FORBIDDEN', message: 'not allowed: tools/call everything:echo' });
  assert.deepEqual(gatewayAnswerOf('Error POSTing to endpoint: {"error":"service_disabled","service":"x","message":"service \\"x\\" is disabled"}'), { code: 'service_disabled', message: 'service "x" is disabled' });
  assert.deepEqual(gatewayAnswerOf('fetch failed'), {});
});
