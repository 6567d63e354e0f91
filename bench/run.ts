// `npm run bench -- <name…>` runs bench/<name>.ts (all benchmarks without a name); each prints one JSON object.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_')).map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(1);
}
let failed = 0;
for (const name of wanted.length ? wanted : available) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`), ...process.argv.slice(2).filter((a) => a.startsWith('-'))], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 2 : 0);
