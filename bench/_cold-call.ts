// Cold `mcpgw call` (a new process, as a user runs it) against a gateway that `mcpgw up` started
// on private loopback ports: server-everything (Streamable HTTP) behind Caddy and authd, its
// `echo` tool called with an API key.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../testkit/ports.js';
import { startEverything } from '../testkit/mcp-servers.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median and max wall time of `runs` cold `mcpgw call echo` processes, from the built dist (`bin`). */
export async function measureColdCall(bin: string, runs = 5): Promise<{ coldCallMedianMs: number; coldCallMaxMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bench-call-'));
  const upstream = await startEverything('streamableHttp');
  const mcpgw = (args: string[]) => execFileSync(process.execPath, [bin, '-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  try {
    const [gateway, admin, authd, registry, host, web] = await Promise.all(Array.from({ length: 6 }, freePort));
    await writeFile(
      join(dir, 'mcpgw.yaml'),
      `gateway: { listen: 127.0.0.1:${gateway} }\ncaddy: { admin: 127.0.0.1:${admin} }\nauthd: { listen: 127.0.0.1:${authd} }\nregistry_server: { listen: 127.0.0.1:${registry} }\nstdio_host: { listen: 127.0.0.1:${host} }\nweb: { listen: 127.0.0.1:${web} }\nsearch: { embedder: none }\n`,
    );
    await writeFile(join(dir, 'scopes.yml'), 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      everything: { tools: ["*"] }\n');
    await mkdir(join(dir, 'registry.d'));
    await writeFile(join(dir, 'registry.d', 'everything.yaml'), `name: everything\nupstream: ${upstream.url}\nhealth: { enabled: false }\n`);
    mcpgw(['up']);
    try {
      const key = mcpgw(['keys', 'create', '--name', 'bench', '--group', 'bench', '--quiet']).trim();
      const call = () => execFileSync(process.execPath, [bin, '-C', dir, 'call', 'everything', 'echo', '--arg', 'message=bench', '--key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
      call(); // page cache
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        call();
        times.push(performance.now() - started);
      }
      return { coldCallMedianMs: Math.round(median(times)), coldCallMaxMs: Math.round(Math.max(...times)) };
    } finally {
      mcpgw(['down']);
    }
  } finally {
    await upstream.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
