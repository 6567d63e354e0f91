// The lazy CLI: `mcpgw --version` and `mcpgw --help` load the command declarations and a small,
// stated set of core modules — no feature code, no zod, yaml, Caddy, authd or search (README
// Development, "Lazy CLI"). A module loader hook records every module the built CLI resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT, tempProject } from '../../testkit/cli.js';

const run = promisify(execFile);
const DIST = pathToFileURL(join(REPO_ROOT, 'dist')).href + '/';
const BIN = join(REPO_ROOT, 'bin', 'mcpgw.js');

/** Outside src/cli (whose command files only declare), the modules `--version`/`--help` may load. */
export const STARTUP_CORE_MODULES = [
  'control/probe/probe-defaults.js',
  'core/config/checkout.js',
  'core/config/issues.js',
  'core/config/paths.js',
  'core/config/transports.js',
  'core/errors.js',
  'core/state/layout.js',
  'core/version.js',
  'core/wire/json-rpc.js',
];
/** The packages they may load. */
export const STARTUP_PACKAGES = ['chalk', 'commander'];
/** At most this many of mcpgw's own modules in all (the command declarations included). */
export const STARTUP_MODULE_LIMIT = 40;

const HOOKS = `import { appendFileSync } from 'node:fs';
let out;
export function initialize(data) { out = data.out; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(out, resolved.url + '\\n');
  return resolved;
}
`;

/** Every module URL the built CLI resolves while running `args`. */
async function modulesLoadedBy(args: string[], cwd: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-module-load-'));
  try {
    const out = join(dir, 'modules.txt');
    await writeFile(out, '');
    await writeFile(join(dir, 'hooks.mjs'), HOOKS);
    await writeFile(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)}, { data: { out: ${JSON.stringify(out)} } });\n`);
    await run(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return [...new Set((await readFile(out, 'utf8')).split('\n').filter(Boolean))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const ours = (urls: string[]) => urls.filter((u) => u.startsWith(DIST)).map((u) => u.slice(DIST.length));
const packagesOf = (urls: string[]) => [...new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => Boolean(p)))].sort();

for (const args of [['--version'], ['--help']]) {
  test(`mcpgw ${args.join(' ')} loads only the command declarations and the stated core modules (no zod, yaml, Caddy, authd, search)`, async (t) => {
    const p = await tempProject();
    t.after(p.cleanup);
    const urls = await modulesLoadedBy(args, p.dir);
    const own = ours(urls);
    assert.ok(own.includes('cli/main.js'), `the hook saw the CLI start (${own.length} modules)`);
    assert.deepEqual(own.filter((m) => !m.startsWith('cli/')).sort(), STARTUP_CORE_MODULES, 'modules outside src/cli');
    assert.deepEqual(own.filter((m) => m.startsWith('cli/') && m.endsWith('-actions.js')), [], 'no command implementation');
    assert.ok(own.length <= STARTUP_MODULE_LIMIT, `${own.length} of mcpgw's modules load (limit ${STARTUP_MODULE_LIMIT}): ${own.join(' ')}`);
    assert.deepEqual(packagesOf(urls), STARTUP_PACKAGES, 'packages');
    for (const heavy of ['zod', 'yaml', '@orama/orama', '@modelcontextprotocol/sdk']) assert.ok(!packagesOf(urls).includes(heavy), `${heavy} is not loaded`);
    assert.ok(!own.some((m) => /^(control\/caddy|gateway\/authd|discovery\/search)\//.test(m)), 'no Caddy, authd or search module');
  });
}

test('a command loads its implementation when it runs (the hook sees lazy imports)', async (t) => {
  const p = await tempProject();
  t.after(p.cleanup);
  const urls = await modulesLoadedBy(['list', '--json'], p.dir);
  assert.ok(ours(urls).includes('cli/registry-actions.js'), 'list ran its action module');
  assert.ok(packagesOf(urls).includes('zod') && packagesOf(urls).includes('yaml'), 'and the loaders (zod, yaml) with it');
});
