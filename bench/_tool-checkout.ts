// Shared by the search benchmarks: a temporary mcpgw checkout whose registry.d holds one
// service per server with static `tools:` (JSON is YAML), so indexing takes the normal path.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type ToolCatalogue = Record<string, { name: string; description?: string; inputSchema?: Record<string, unknown> }[]>;

/** The service name a catalogue's server gets in the checkout (tool ids are "<name>/<tool>"). */
export const checkoutName = (server: string) => server.toLowerCase().replace(/[^a-z0-9-]+/g, '-');

/** `embedder`: search.embedder for the checkout (mcpgw's default when not given). */
export async function toolCheckout(catalogue: ToolCatalogue, describe: (server: string) => string = () => '', embedder?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpgw-bench-'));
  await mkdir(join(dir, 'registry.d'));
  await writeFile(join(dir, 'mcpgw.yaml'), `gateway:\n  public_url: https://gw.example.com\n${embedder ? `search:\n  embedder: ${embedder}\n` : ''}`);
  for (const [server, tools] of Object.entries(catalogue)) {
    const name = checkoutName(server);
    const definition = { name, description: describe(server), upstream: `http://127.0.0.1:9/${name}/mcp`, tools };
    await writeFile(join(dir, 'registry.d', `${name}.yaml`), JSON.stringify(definition));
  }
  return dir;
}
