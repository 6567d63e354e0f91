// How a 2026-07-28 result is shaped (core/wire/modern-results): the table of cases the registry
// server and the stdio host rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverResult, modernResult, SERVER_INFO_META, type CachingHints } from '../../../src/core/wire/modern-results.js';

const info = { name: 'srv', version: '1.0.0' };
const hints = (method: string): CachingHints | undefined => (method === 'tools/list' ? { ttlMs: 5_000, cacheScope: 'private' } : undefined);

test('a complete result of a cacheable method gets resultType, the server identity in _meta (kept beside the result\'s own) and its hints', () => {
  assert.deepEqual(modernResult('tools/list', { tools: [], _meta: { other: 1 } }, info, hints), { tools: [], resultType: 'complete', _meta: { other: 1, [SERVER_INFO_META]: info }, ttlMs: 5_000, cacheScope: 'private' });
});

test('results that are not cacheable, or not complete, carry no hints; a server\'s own resultType is kept', () => {
  assert.deepEqual(modernResult('tools/call', { content: [] }, info, hints), { content: [], resultType: 'complete', _meta: { [SERVER_INFO_META]: info } });
  const interim = modernResult('tools/list', { resultType: 'input_required', inputRequests: {} }, info, hints);
  assert.equal(interim.resultType, 'input_required');
  assert.equal(interim.ttlMs, undefined);
  assert.equal(modernResult('resources/list', { resources: [] }, info, hints).cacheScope, undefined, 'no hint given for it: none sent');
});

test('server/discover is answered from an initialize result: versions, capabilities, identity in both places, instructions, hints', () => {
  const result = discoverResult({ capabilities: { tools: {} }, serverInfo: info, instructions: 'use it' }, { ttlMs: 1, cacheScope: 'public' });
  assert.equal(result.resultType, 'complete');
  assert.ok((result.supportedVersions as string[]).includes('2026-07-28'));
  assert.deepEqual([result.capabilities, result.serverInfo, (result._meta as Record<string, unknown>)[SERVER_INFO_META], result.instructions, result.ttlMs, result.cacheScope], [{ tools: {} }, info, info, 'use it', 1, 'public']);
  assert.equal('ttlMs' in discoverResult({ capabilities: {}, serverInfo: info }), false, 'no hints given: none invented');
});
