// Private loopback ports for tests and benchmarks. Each process holds a block of ports below the
// kernel's ephemeral range by listening on the block's first port for as long as it lives: the
// kernel, not a lock file, says which blocks are taken, so two test files running in parallel
// never get the same port, a dead process's block is free at once, and no port is a default of
// mcpgw (2019, 8080–8084). Servers that can report the port they bound should still listen on 0.
import { connect, createServer, type Server } from 'node:net';

/** [FIRST, LAST] lies below Linux's ephemeral range (32768–60999): port-0 listeners and outgoing connections never land there. */
const FIRST = 10_000;
const LAST = 32_767;
const BLOCK = 128;
const BLOCKS = Math.floor((LAST - FIRST + 1) / BLOCK);

/** Listen on host:port; the server, or undefined when something holds it. */
function listenOn(port: number, host = '127.0.0.1'): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(undefined));
    srv.listen({ port, host, exclusive: true }, () => resolve(srv));
  });
}

/** Whether nothing listens on host:port now (bound for an instant, then released). */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const srv = await listenOn(port, host);
  if (!srv) return false;
  await new Promise((r) => srv.close(r));
  return true;
}

/** Claim a block for this process: the first whose guard port (its first) it can listen on, from pid % BLOCKS. */
async function claimBlock(): Promise<number> {
  for (let i = 0; i < BLOCKS; i++) {
    const base = FIRST + ((process.pid + i) % BLOCKS) * BLOCK;
    // Held (unref'd) until the process ends; the kernel frees it however the process ends.
    if (await listenOn(base)) return base;
  }
  throw new Error(`no free port block in ${FIRST}–${LAST}: every block's guard port is held`);
}

let block: Promise<number> | undefined;
let next = 0;

/** A loopback port of this process's block that nothing listens on now. */
export async function freePort(): Promise<number> {
  const base = await (block ??= claimBlock());
  for (let tries = 0; tries < BLOCK - 1; tries++) {
    const port = base + 1 + (next++ % (BLOCK - 1));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`every port of this process's block ${base + 1}–${base + BLOCK - 1} is in use`);
}

/** Wait until something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 15_000): Promise<void> {
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
