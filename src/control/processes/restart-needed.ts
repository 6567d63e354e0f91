// Settings the running daemons read once, at `mcpgw up`: the identity providers (authd and the
// web UI verify tokens with them) and the daemons' own addresses. apply cannot push those to a
// running process, so it says exactly which changed and that `mcpgw down && mcpgw up` applies them.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project } from '../../core/config/project.js';
import { writeFileAtomic } from '../../core/config/atomic-file.js';
import { canonicalJson } from '../../core/config/canonical-json.js';
import { stateLayout } from '../../core/state/layout.js';
import { readJson } from '../../core/state/snapshots.js';

type StartedSettings = Record<string, unknown>;

/** The sections of mcpgw.yaml a daemon reads only at start, by name. */
function startSettingsOf(project: Project): StartedSettings {
  const s = project.settings;
  return {
    identity: s.identity,
    web: s.web,
    'authd.listen': s.authd.listen,
    'registry_server.listen': s.registry_server.listen,
    'stdio_host.listen': s.stdio_host.listen,
  };
}

const startedFile = (project: Project) => join(stateLayout(project.stateDir).runDir, 'started-settings.json');

export async function recordStartedSettings(project: Project): Promise<void> {
  await writeFileAtomic(startedFile(project), `${JSON.stringify(startSettingsOf(project), null, 2)}\n`);
}

export async function forgetStartedSettings(project: Project): Promise<void> {
  await rm(startedFile(project), { force: true });
}

/** The sections that changed since `mcpgw up` (none when no gateway was started from here). */
export async function changedSinceUp(project: Project): Promise<string[]> {
  const started = await readJson<StartedSettings>(startedFile(project));
  if (!started) return [];
  const now = startSettingsOf(project);
  return Object.keys(now).filter((k) => canonicalJson(now[k] ?? null) !== canonicalJson(started[k] ?? null));
}

export function restartWarning(sections: readonly string[]): string | undefined {
  if (!sections.length) return undefined;
  return `mcpgw.yaml changed ${sections.join(', ')} since \`mcpgw up\`: the running authd and web UI still use the old values (routes were applied) — restart them with \`mcpgw down && mcpgw up\``;
}
