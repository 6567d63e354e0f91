// `mcpgw init`: scaffold a checkout from templates/ without touching existing files.
import { access, copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { contextFor } from './context.js';
import { examples } from './help.js';

export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'init');

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
      if (ctx.out.options.json) return ctx.out.json({ created, kept });
      for (const f of created) ctx.out.info(`created ${f}`);
      for (const f of kept) ctx.out.info(`kept    ${f} (exists; --force to overwrite)`);
      ctx.out.info('next: mcpgw validate && mcpgw list');
    });
}
