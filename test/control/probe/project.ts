// A temporary checkout whose registry.d holds the given service definitions.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadProject, type Project } from '../../../src/core/config/project.js';
import { stateLayout, type StateLayout } from '../../../src/core/state/layout.js';
import { tempProject } from '../../../testkit/cli.js';

export interface ProbeCheckout {
  dir: string;
  load(): Promise<Project>;
  layout: StateLayout;
  cleanup(): Promise<void>;
}

export async function checkoutWith(services: Record<string, Record<string, unknown>>): Promise<ProbeCheckout> {
  const p = await tempProject();
  await mkdir(join(p.dir, 'registry.d'));
  for (const [name, fields] of Object.entries(services)) {
    await writeFile(join(p.dir, 'registry.d', `${name}.yaml`), stringify({ name, ...fields }));
  }
  return { dir: p.dir, load: () => loadProject(p.dir), layout: stateLayout(join(p.dir, '.mcpgw')), cleanup: p.cleanup };
}
