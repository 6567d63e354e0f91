// The planes' import direction, checked on every import of src/, bench/ and testkit/ (static and
// dynamic): a sideways import fails here with the file, the import and the rule it breaks.
//   cli → anything · discovery → control, client, core · control, gateway, client → core only ·
//   core → nothing outside core · nothing imports cli · bench and testkit never import test/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from '../../testkit/cli.js';

/** What each plane of src/ may import besides itself. */
export const ALLOWED: Record<string, readonly string[]> = {
  cli: ['core', 'control', 'gateway', 'client', 'discovery'],
  discovery: ['core', 'control', 'client'],
  control: ['core'],
  gateway: ['core'],
  client: ['core'],
  core: [],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'assets' || e.name === 'node_modules' ? [] : tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;

/** Relative imports of a file, as repo-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => relative(REPO_ROOT, resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!)));
}

function planeOf(path: string): string | undefined {
  const [top, plane] = path.split('/');
  return top === 'src' ? plane : undefined;
}

function violations(): string[] {
  const found: string[] = [];
  for (const root of ['src', 'bench', 'testkit']) {
    for (const file of tsFiles(join(REPO_ROOT, root))) {
      const from = relative(REPO_ROOT, file);
      const fromPlane = planeOf(from);
      for (const to of importsOf(file)) {
        const toPlane = planeOf(to);
        if (root !== 'src') {
          if (to.startsWith('test/')) found.push(`${from} imports ${to}: ${root}/ must not import test files (shared code lives in testkit/)`);
          continue;
        }
        if (!fromPlane || !toPlane || fromPlane === toPlane) continue;
        if (toPlane === 'cli') found.push(`${from} imports ${to}: nothing imports cli`);
        else if (!(ALLOWED[fromPlane] ?? []).includes(toPlane)) found.push(`${from} imports ${to}: ${fromPlane} may import ${ALLOWED[fromPlane]?.join(', ') || 'nothing outside core'} only`);
      }
    }
  }
  return found;
}

test('every import follows the planes\' direction (no sideways import, nothing imports cli, bench and testkit never import tests)', () => {
  assert.deepEqual(violations(), []);
});

test('the checker sees a sideways import (a planted one is reported)', () => {
  assert.ok(importsOf(join(REPO_ROOT, 'src', 'cli', 'main.ts')).some((p) => p.startsWith('src/')), 'the import scanner finds main.ts imports');
  const planted = 'src/gateway/authd/x.ts imports src/control/caddy/render.ts';
  assert.equal(planeOf('src/gateway/authd/x.ts'), 'gateway');
  assert.ok(!ALLOWED.gateway!.includes(planeOf('src/control/caddy/render.ts')!), planted);
});
