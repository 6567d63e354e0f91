// Private loopback ports for tests and benchmarks. Each process claims its own block of ports
// below the kernel's ephemeral range (a lock file per block), so two test files running in
// parallel never get the same port, and no port is a default of mcpgw (2019, 8080–8084).
// Servers that can report the port they bound should still listen on port 0.
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** [FIRST, LAST] lies below Linux's ephemeral range (32768–60999): port-0 listeners and outgoing connections never land there. */
const FIRST = 10_000;
const LAST = 32_767;
const BLOCK = 128;
const BLOCKS = Math.floor((LAST - FIRST + 1) / BLOCK);
const LOCKS = join(tmpdir(), 'mcpgw-test-port-blocks');

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function owner(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8'));
  } catch {
    return 0;
  }
}

/** Claim a block for this process: the first free one from pid % BLOCKS, taking over blocks of dead processes. */
function claimBlock(): number {
  mkdirSync(LOCKS, { recursive: true });
  for (let i = 0; i < BLOCKS; i++) {
    const block = (process.pid + i) % BLOCKS;
    const file = join(LOCKS, String(block));
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
    } catch {
      if (alive(owner(file))) continue;
      // A dead owner's block: replace its lock atomically, then check that we won it.
      const mine = `${file}.${process.pid}`;
      writeFileSync(mine, String(process.pid));
      renameSync(mine, file);
      if (owner(file) !== process.pid) continue;
    }
    process.once('exit', () => {
      if (owner(file) === process.pid) unlinkSync(file);
    });
    return block;
  }
  throw new Error(`no free port block in ${LOCKS}: ${BLOCKS} processes hold one`);
}

let base: number | undefined;
let next = 0;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port of this process's block that nothing listens on now. */
export async function freePort(): Promise<number> {
  base ??= FIRST + claimBlock() * BLOCK;
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = base + (next++ % BLOCK);
    if (await bindable(port)) return port;
  }
  throw new Error(`every port of this process's block ${base}–${base + BLOCK - 1} is in use`);
}

/** Wait until something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 15_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, host);
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
