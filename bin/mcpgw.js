#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ after `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mcpgw: not built yet — run `npm run setup` (or `npm run build`) in the mcpgw checkout\n');
  process.exit(2);
}
await import(entry.href);
