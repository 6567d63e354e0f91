// authd's audit trail on disk: size rotation keeps `keep` rotated files, `mcpgw audit`'s reader
// goes through the rotated files oldest first, and `audit.stdout` copies each line to stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../../src/gateway/authd/audit-log.js';
import { queryAudit, type AuditEntry } from '../../../src/core/state/audit-trail.js';
import { rotationInterval } from '../../../src/core/state/rotated-files.js';
import { settingsSchema } from '../../../src/core/config/settings.js';

const entry = (i: number, decision: 'allow' | 'deny' = 'allow'): Omit<AuditEntry, 'time'> => ({
  identity: { subject: `user-${i % 3}`, kind: 'api-key', groups: ['g'] },
  server: i % 2 ? 'weather' : 'files',
  method: 'tools/call',
  tool: `tool-${i}`,
  decision,
  status: decision === 'allow' ? 200 : 403,
  reason: 'test',
});

const tick = () => new Promise((r) => setImmediate(r));

test('the audit trail rotates by size, keeps `keep` rotated files (mode 0600), and the reader reads them oldest first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-audit-'));
  try {
    const file = join(dir, 'audit.jsonl');
    const log = new AuditLog(file, { maxBytes: 1500, keep: 2 });
    for (let i = 0; i < 60; i++) {
      log.record(entry(i, i % 10 === 0 ? 'deny' : 'allow'));
      // One write per tick: give the stream a chance to rotate between them.
      await tick();
      await new Promise((r) => setTimeout(r, 2));
    }
    await log.close();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const rotated = files.filter((f) => f !== 'audit.jsonl');
    assert.ok(files.includes('audit.jsonl'));
    assert.ok(rotated.length >= 1 && rotated.length <= 2, `keep 2 rotated files: ${files.join(', ')}`);
    assert.match(rotated[0]!, /^audit-\d{8}T\d{6}Z-\d{3}\.jsonl$/);
    for (const f of files) assert.equal((await stat(join(dir, f))).mode & 0o777, 0o600);
    const read: AuditEntry[] = [];
    for await (const e of queryAudit(file)) read.push(e);
    const numbers = read.map((e) => Number(e.tool!.slice('tool-'.length)));
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'oldest first, across files');
    assert.equal(numbers.at(-1), 59, 'the newest line is in the live file');
    assert.ok(numbers[0]! > 0, 'the oldest rotated files were deleted');
    const denied: AuditEntry[] = [];
    for await (const e of queryAudit(file, { decision: 'deny', service: 'files' })) denied.push(e);
    assert.ok(denied.every((e) => e.decision === 'deny' && e.server === 'files') && denied.length > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('audit.stdout copies every line to stdout as JSON', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-audit-'));
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  try {
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    const log = new AuditLog(join(dir, 'audit.jsonl'), { stdout: true });
    log.record(entry(1));
    log.record(entry(2, 'deny'));
    await log.close();
  } finally {
    process.stdout.write = original;
    await rm(dir, { recursive: true, force: true });
  }
  const lines = written.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
  assert.deepEqual(lines.map((l) => [l.tool, l.decision]), [['tool-1', 'allow'], ['tool-2', 'deny']]);
  assert.ok(lines.every((l) => typeof l.time === 'string'));
});

test('audit.rotate_every takes clock-aligned periods only, with a located hint otherwise', () => {
  assert.equal(rotationInterval(86_400_000), '1d');
  assert.equal(rotationInterval(6 * 3_600_000), '6h');
  assert.equal(rotationInterval(15 * 60_000), '15m');
  assert.equal(rotationInterval(7 * 3_600_000), undefined);
  assert.equal(settingsSchema.safeParse({ audit: { rotate_every: '12h', max_size: '50MB', keep: 5 } }).success, true);
  const bad = settingsSchema.safeParse({ audit: { rotate_every: '7h' } });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error?.issues), /hours dividing 24/);
  assert.equal(settingsSchema.parse({ audit: { max_size: '64MiB' } }).audit.max_size, 64 * 1024 * 1024);
});

test('lines recorded in bursts across ticks reach the file once each, in order, as JSON with time first', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-audit-'));
  try {
    const file = join(dir, 'audit.jsonl');
    const log = new AuditLog(file);
    const recorded: Omit<AuditEntry, 'time'>[] = [];
    for (let i = 0; i < 300; i++) {
      const e = { ...entry(i, i % 7 ? 'allow' : 'deny'), ...(i % 5 ? {} : { limit: `limit-${i}` }), ...(i % 3 ? { request: `req-${i}` } : {}) };
      recorded.push(e);
      log.record(e);
      // Records in bursts across ticks: several lines per write, several writes.
      if (i % 4 === 0) await tick();
    }
    await log.close();
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    assert.equal(lines.length, recorded.length, 'every line once');
    lines.forEach((line, i) => {
      const parsed = JSON.parse(line) as AuditEntry;
      assert.match(parsed.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(line, JSON.stringify({ time: parsed.time, ...recorded[i] }), `line ${i} is the entry with its time first`);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
