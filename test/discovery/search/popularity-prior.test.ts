// The optional popularity prior of find / find_tools: off by default; when on, counts of allowed
// tools/call from the audit trail reorder near-ties and never lift an irrelevant tool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPopularity, popularityPrior } from '../../../src/discovery/search/popularity-prior.js';
import { settingsSchema } from '../../../src/core/config/settings.js';
import { projectPaths } from '../../../src/core/config/paths.js';

const hit = (id: string, score: number) => ({ id, score, textScore: score });

test('the prior reorders near-ties by calls and leaves a clearly better match first', () => {
  const ranked = [hit('a/search', 0.9), hit('b/lookup', 0.88), hit('c/unrelated', 0.3)];
  const counts = new Map([['b/lookup', 500], ['c/unrelated', 10_000], ['a/search', 1]]);
  assert.deepEqual(applyPopularity(ranked, counts).map((h) => h.id), ['b/lookup', 'a/search', 'c/unrelated']);
  assert.deepEqual(applyPopularity(ranked, new Map()).map((h) => h.id), ['a/search', 'b/lookup', 'c/unrelated'], 'no usage: unchanged');
});

test('the prior is off by default; on, it counts allowed tools/call of the last 30 days from the audit trail', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-prior-'));
  try {
    await mkdir(join(dir, '.mcpgw'));
    const now = Date.parse('2026-12-01T12:00:00Z');
    const line = (days: number, tool: string, decision = 'allow', method = 'tools/call') =>
      JSON.stringify({ time: new Date(now - days * 86_400_000).toISOString(), identity: null, server: 'files', method, tool, decision, status: decision === 'allow' ? 200 : 403, reason: 'x' });
    await writeFile(join(dir, '.mcpgw', 'audit.jsonl'), [line(1, 'read'), line(2, 'read'), line(3, 'write', 'deny'), line(40, 'write'), line(1, 'read', 'allow', 'tools/list')].join('\n') + '\n');
    const paths = projectPaths(dir);
    assert.equal(await popularityPrior({ settings: settingsSchema.parse({}), paths }, now), undefined);
    const counts = await popularityPrior({ settings: settingsSchema.parse({ search: { popularity_prior: true } }), paths }, now);
    assert.deepEqual([...counts!], [['files/read', 2]]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
