// The current project of a long-running process: one watcher over mcpgw.yaml, scopes.yml and
// registry.d, one debounce; a bad edit keeps the last good project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CurrentProject } from '../../../src/core/config/current-project.js';
import { eventually } from '../../helpers/eventually.js';
import { tempProject } from '../../../testkit/cli.js';

test('one watcher follows registry.d (even when it appears later), scopes.yml and mcpgw.yaml; a burst of writes is one reload', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await writeFile(join(p.dir, 'mcpgw.yaml'), 'caddy:\n  admin: 127.0.0.1:1\n');
  const current = await CurrentProject.open(p.dir);
  t.after(() => current.close());
  const seen: string[][] = [];
  current.onChange((project) => seen.push(project.services.map((s) => s.name)));
  const first = current.project;
  assert.equal(current.project, first, 'read once: the same project until a file changes');

  await mkdir(join(p.dir, 'registry.d'));
  for (const name of ['a', 'b', 'c']) await writeFile(join(p.dir, 'registry.d', `${name}.yaml`), `name: ${name}\nupstream: http://127.0.0.1:9/mcp\n`);
  await eventually(async () => assert.deepEqual(current.project.services.map((s) => s.name), ['a', 'b', 'c']));
  assert.ok(seen.length <= 2, `writes in a burst settle into few reloads (${seen.length})`);

  // Atomic rename, as mcpgw and editors write.
  await writeFile(join(p.dir, '.scopes.tmp'), 'groups:\n  devs: [d]\nscopes:\n  d:\n    servers:\n      a: {}\n');
  await rename(join(p.dir, '.scopes.tmp'), join(p.dir, 'scopes.yml'));
  await eventually(async () => assert.deepEqual({ ...current.project.scopes.groups }, { devs: ['d'] }));
  await writeFile(join(p.dir, 'mcpgw.yaml'), 'caddy:\n  admin: 127.0.0.1:2\n');
  await eventually(async () => assert.equal(current.project.settings.caddy.admin, '127.0.0.1:2'));
});

test('an edit that does not validate keeps the last good project and tells the listeners why', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  await mkdir(join(p.dir, 'registry.d'));
  await writeFile(join(p.dir, 'registry.d', 'a.yaml'), 'name: a\nupstream: http://127.0.0.1:9/mcp\n');
  const current = await CurrentProject.open(p.dir);
  t.after(() => current.close());
  const problems: string[] = [];
  current.onInvalid((issues) => problems.push(...issues.map((i) => `${i.file} ${i.field}`)));
  await writeFile(join(p.dir, 'registry.d', 'a.yaml'), 'name: a\nupstream: nope\n');
  await eventually(async () => assert.deepEqual(problems, ['registry.d/a.yaml upstream']));
  assert.equal(current.project.services[0]!.upstreams[0], 'http://127.0.0.1:9/mcp', 'the last good definition stays');
  assert.equal(await current.reload(), false);
});

test('without follow the files are read once and never watched (a CLI command)', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const current = await CurrentProject.open(p.dir, { follow: false });
  await mkdir(join(p.dir, 'registry.d'));
  await writeFile(join(p.dir, 'registry.d', 'a.yaml'), 'name: a\nupstream: http://127.0.0.1:9/mcp\n');
  assert.equal(current.project.services.length, 0);
  assert.equal(await current.reload(), true, 'an explicit reload still reads them');
  assert.equal(current.project.services.length, 1);
});
