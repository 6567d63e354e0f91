// Cold `mcpgw call` (a new process, as a user runs it) against a gateway that `mcpgw up` started
// on private loopback ports: server-everything (Streamable HTTP) behind Caddy and authd, its
// `echo` tool called with an API key.
import { execFileSync } from 'node:child_process';
import { gatewayCheckout } from '../testkit/gateway.js';
import { startEverything } from '../testkit/mcp-servers.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median and max wall time of `runs` cold `mcpgw call echo` processes, from the built dist (`bin`). */
export async function measureColdCall(bin: string, runs = 5): Promise<{ coldCallMedianMs: number; coldCallMaxMs: number }> {
  const upstream = await startEverything('streamableHttp');
  // close() runs `mcpgw down` and kills whatever `up` left.
  const checkout = await gatewayCheckout({
    up: true,
    settingsYaml: 'search:\n  embedder: none\n',
    scopes: 'groups:\n  bench: [all]\nscopes:\n  all:\n    servers:\n      everything: { tools: ["*"] }\n',
    services: { everything: `upstream: ${upstream.url}\nhealth: { enabled: false }\n` },
  });
  const dir = checkout.dir;
  const mcpgw = (args: string[]) => execFileSync(process.execPath, [bin, '-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  try {
    mcpgw(['up']);
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
    await checkout.close();
    await upstream.stop();
  }
}
