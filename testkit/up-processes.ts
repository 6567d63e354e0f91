// After a test that ran `mcpgw up` in its checkout: `mcpgw down`, then SIGKILL whatever `up`
// recorded that still runs, so no Caddy or daemon outlives the test.
import { loadProject } from '../src/core/config/project.js';
import { stateLayout } from '../src/core/state/layout.js';
import { readProcesses } from '../src/control/processes/processes-file.js';
import { isPidAlive } from '../src/core/state/process-liveness.js';
import { runCli } from './cli.js';

export async function stopLeftoverProcesses(dir: string): Promise<void> {
  const file = stateLayout((await loadProject(dir)).stateDir).processesFile;
  const started = await readProcesses(file);
  await runCli(['down'], { cwd: dir });
  for (const record of Object.values(started)) if (isPidAlive(record.pid)) process.kill(record.pid, 'SIGKILL');
}
