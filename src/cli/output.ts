// Printing for the CLI: colour only on a TTY, --json for machines, --quiet for scripts.
// Every --json answer is one envelope: `{"ok": true, "data": …}`, or on failure (printed by
// main.ts) `{"ok": false, "error": {"code", "message", "hint"?}, "data"?}`. Keys are camelCase.
import { Chalk, type ChalkInstance } from 'chalk';

export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  color: boolean;
}

export class Output {
  readonly c: ChalkInstance;
  constructor(readonly options: OutputOptions, private readonly out = process.stdout, private readonly err = process.stderr) {
    this.c = new Chalk({ level: options.color ? 1 : 0 });
  }

  /** Primary result (always printed unless --json chose JSON instead). */
  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** Progress and confirmations; silenced by --quiet and by --json. */
  info(text: string): void {
    if (!this.options.quiet && !this.options.json) this.err.write(`${text}\n`);
  }

  warn(text: string): void {
    if (!this.options.quiet) this.err.write(`${this.c.yellow('warning:')} ${text}\n`);
  }

  error(text: string): void {
    this.err.write(`${this.c.red('error:')} ${text}\n`);
  }

  /** The result of a command that succeeded, in the envelope. */
  json(data: unknown): void {
    this.out.write(`${JSON.stringify({ ok: true, data }, null, 2)}\n`);
  }

  /** One event of a command that keeps running (`--watch`): one envelope per line. */
  jsonLine(data: unknown): void {
    this.out.write(`${JSON.stringify({ ok: true, data })}\n`);
  }

  table(headers: string[], rows: string[][]): void {
    const widths = headers.map((h, i) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))));
    const fmt = (cells: string[]) =>
      cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell)))).join('  ').trimEnd();
    this.line(this.c.bold(fmt(headers)));
    for (const row of rows) this.line(fmt(row));
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

export function colorWanted(flag: boolean | undefined, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (flag === false || process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}
