// Runs the mcpgw CLI from source (no build needed) as a separate process, as a user would.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { freePort } from './ports.js';
import { reapOnExit } from './reap-on-exit.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
export const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      ['--import', TSX, MAIN, ...args],
      { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 2) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/**
 * mcpgw.yaml text with a private caddy.admin: a loopback port of this process's block where no
 * Caddy listens, unless the text names an admin address itself. A test's `register`, `enable` …
 * then never push to a Caddy the test did not start (the default admin is 127.0.0.1:2019).
 * Lines already there keep their numbers (tests assert file:line:column).
 */
export async function withPrivateAdmin(text: string): Promise<string> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || doc.hasIn(['caddy', 'admin'])) return text;
  const admin = `127.0.0.1:${await freePort()}`;
  if (!doc.has('caddy')) return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}caddy:\n  admin: ${admin} # private to this test: no Caddy listens here\n`;
  try {
    doc.setIn(['caddy', 'admin'], admin);
    return doc.toString();
  } catch {
    return text; // caddy: is not a map — the test is about that; nothing is pushed anywhere
  }
}

async function writeSettingsPrivately(dir: string): Promise<void> {
  const file = join(dir, 'mcpgw.yaml');
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== undefined) await writeFile(file, await withPrivateAdmin(text));
}

/**
 * A temporary mcpgw checkout; `fixture` names a folder under test/fixtures to copy in. Without
 * one it holds an mcpgw.yaml with only a private caddy.admin (every other setting at its
 * default) — a checkout, which every command but `init` requires; `{ empty: true }` gives a bare
 * directory. Its mcpgw.yaml always names a private caddy.admin (withPrivateAdmin).
 */
export async function tempProject(fixture?: string, options: { empty?: boolean } = {}): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-test-'));
  if (fixture) await cp(join(REPO_ROOT, 'test', 'fixtures', fixture), dir, { recursive: true });
  else if (!options.empty) await writeFile(join(dir, 'mcpgw.yaml'), '# a test checkout: a private caddy.admin, every other setting at its default\n');
  await writeSettingsPrivately(dir);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary checkout holding these files (path relative to the checkout → text); mcpgw.yaml gets a private caddy.admin. */
export async function checkoutWith(files: Record<string, string>): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const project = await tempProject();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(project.dir, name, '..'), { recursive: true });
    await writeFile(join(project.dir, name), text);
  }
  await writeSettingsPrivately(project.dir);
  return project;
}

/**
 * Start the CLI and wait until its stderr matches `pattern` (e.g. a URL it prints for the user);
 * hands back the match and a promise of its exit.
 */
export function startCliUntil(
  args: string[],
  pattern: RegExp,
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<{ match: RegExpExecArray; done: Promise<{ code: number; stderr: string }> }> {
  const child = reapOnExit(spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', DISPLAY: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stderr = '';
  const done = new Promise<{ code: number; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code: code ?? 2, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill(), reject(new Error(`stderr never matched ${pattern}: ${stderr}`))), options.timeoutMs ?? 60_000);
    child.stderr!.on('data', (d) => {
      stderr += d;
      const match = pattern.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ match, done });
      }
    });
    child.on('exit', () => reject(new Error(`mcpgw ${args.join(' ')} exited early: ${stderr}`)));
  });
}
