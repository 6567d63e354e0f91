// The installed entry point (bin/mcpgw.js → dist/) works; `npm test` builds before running tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from '../../testkit/cli.js';

const run = promisify(execFile);

test('bin/mcpgw.js runs the built CLI: --version, and list --json in an empty checkout', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const bin = join(REPO_ROOT, 'bin', 'mcpgw.js');
  const version = await run(process.execPath, [bin, '--version'], { cwd: p.dir });
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const list = await run(process.execPath, [bin, 'list', '--json'], { cwd: p.dir });
  assert.deepEqual(JSON.parse(list.stdout), { ok: true, data: { services: [], leftOut: [] } });
});
