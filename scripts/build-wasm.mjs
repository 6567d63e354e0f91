#!/usr/bin/env node
// Compiles the WebAssembly kernels of src/ (*.wat) into dist beside their modules with wabt
// (npm `wabt`, a dev dependency), so the cosine scan runs SIMD code that ships as a small file.
// Run by `npm run build`. A kernel is rebuilt only when its source is newer than its output.
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KERNELS = ['src/discovery/search/int8-dot.wat'];

const mtime = (file) => stat(file).then((s) => s.mtimeMs, () => -1);

async function main() {
  let wabt;
  for (const source of KERNELS) {
    const target = join(root, 'dist', relative('src', source)).replace(/\.wat$/, '.wasm');
    if ((await mtime(target)) >= (await mtime(join(root, source)))) continue;
    if (!wabt) {
      try {
        wabt = await (await import('wabt')).default();
      } catch {
        if ((await mtime(target)) >= 0) return; // an installed copy without dev dependencies keeps its kernels
        throw new Error('build-wasm: wabt is not installed — run `npm ci` (it is a dev dependency)');
      }
    }
    const module = wabt.parseWat(source, await readFile(join(root, source), 'utf8'), { simd: true });
    try {
      module.validate();
      const { buffer } = module.toBinary({});
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, buffer);
    } finally {
      module.destroy();
    }
  }
}

await main();
