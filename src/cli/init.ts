// `mcpgw init`: scaffold a checkout from templates/ without touching existing files.
import { access, appendFile, copyFile, mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';

export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'init');

/** What must never reach git: the state dir holds API key hashes, the audit log and the last pushed config. */
const IGNORED = ['.mcpgw/'];

/**
 * Written by code, not copied from templates/: npm leaves files named .gitignore out of the
 * package. An existing .gitignore keeps its lines; only missing entries are appended.
 */
async function ensureGitignore(dir: string): Promise<'created' | 'updated' | 'kept'> {
  const file = join(dir, '.gitignore');
  const current = await readFile(file, 'utf8').catch(() => undefined);
  const have = new Set((current ?? '').split('\n').map((l) => l.trim()));
  const missing = IGNORED.filter((entry) => !have.has(entry) && !have.has(entry.replace(/\/$/, '')));
  if (missing.length === 0) return 'kept';
  const prefix = current === undefined ? '# mcpgw run-time state: API key hashes, audit log, last-applied Caddy config\n' : current.endsWith('\n') || current === '' ? '' : '\n';
  await appendFile(file, `${prefix}${missing.join('\n')}\n`);
  return current === undefined ? 'created' : 'updated';
}

/** The commands to run next, written so they work from where the user is (not only inside the checkout). */
function nextSteps(target: string): string {
  const rel = relative(process.cwd(), resolve(target));
  const at = rel === '' ? '' : ` -C ${rel.startsWith('..') || rel.includes(' ') ? JSON.stringify(resolve(target)) : rel}`;
  return `next: mcpgw${at} validate && mcpgw${at} up   (then \`mcpgw${at} status\`)`;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir)) {
    const full = join(dir, entry);
    if ((await stat(full)).isDirectory()) yield* walk(full);
    else yield full;
  }
}

export function registerInitCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('create mcpgw.yaml, scopes.yml and registry.d/ with a commented example')
    .option('--force', 'overwrite existing files')
    .addHelpText('after', examples('mcpgw init', 'mcpgw init ./gateway'))
    .action(async (dir: string | undefined, opts: { force?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const target = dir ?? ctx.paths.root;
      const created: string[] = [];
      const kept: string[] = [];
      for await (const source of walk(TEMPLATES_DIR)) {
        const dest = join(target, relative(TEMPLATES_DIR, source));
        const present = await access(dest).then(() => true, () => false);
        if (present && !opts.force) {
          kept.push(dest);
          continue;
        }
        await mkdir(dirname(dest), { recursive: true });
        await copyFile(source, dest);
        created.push(dest);
      }
      const gitignore = await ensureGitignore(target);
      if (gitignore !== 'kept') created.push(join(target, '.gitignore'));
      else kept.push(join(target, '.gitignore'));
      if (ctx.out.options.json) return ctx.out.json({ created, kept, next: nextSteps(target) });
      for (const f of created) ctx.out.info(`${gitignore === 'updated' && f.endsWith('.gitignore') ? 'updated' : 'created'} ${f}`);
      for (const f of kept) ctx.out.info(`kept    ${f} (exists; --force to overwrite)`);
      ctx.out.info(nextSteps(target));
    });
}
