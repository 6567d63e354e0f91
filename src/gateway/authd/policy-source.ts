// The policy authd runs with, reloaded when scopes.yml, registry.d/ or the API key file change.
// A file that does not validate at start refuses the start; at reload it is logged and the
// last good policy stays in force — authd never runs without a policy (fails closed).
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import { formatIssue } from '../../core/config/issues.js';
import { hasErrors } from '../../core/config/issues.js';
import { loadProjectChecked, type Project } from '../../core/config/project.js';
import { serviceSchema, type ServiceDefinition } from '../../core/config/service.js';
import { stateLayout } from '../../core/state/layout.js';
import { readApiKeys, type ApiKeyRecord } from '../../core/identity/api-keys.js';
import { definitionsFingerprint } from '../../core/config/definitions-fingerprint.js';
import { REGISTRY_SERVER, type Policy } from '../../core/policy/policy.js';
import { REGISTRY_PATH } from '../../core/wire/contract.js';

export interface PolicySnapshot {
  policy: Policy;
  services: Map<string, ServiceDefinition>;
  apiKeys: ApiKeyRecord[];
  /** Fingerprint of registry.d's definitions, reported on /healthz (see waitForAuthd). */
  definitions: string;
}

/**
 * The registry MCP server, decided for like a service: authd needs its path (for the RFC 9728
 * metadata) and its body limit, the same 1 MiB as its Caddy route. The upstream is never dialed.
 */
const REGISTRY_SERVICE: ServiceDefinition = {
  ...serviceSchema.parse({ name: REGISTRY_SERVER, path: REGISTRY_PATH, upstream: 'http://127.0.0.1/', limits: { max_body_bytes: 1024 * 1024 } }),
  file: '(built in: the registry MCP server)',
};

export class PolicyLoadError extends Error {
  readonly code = 'ERR_POLICY_INVALID';
}

async function loadSnapshot(root: string): Promise<{ snapshot?: PolicySnapshot; project?: Project; problems: string[] }> {
  const { project, issues } = await loadProjectChecked(root);
  const problems = issues.filter((i) => i.severity === 'error').map(formatIssue);
  if (!project || hasErrors(issues)) return { problems };
  try {
    const apiKeys = await readApiKeys(stateLayout(project.stateDir).apiKeysFile);
    const services = new Map<string, ServiceDefinition>([[REGISTRY_SERVER, REGISTRY_SERVICE], ...project.services.map((s) => [s.name, s] as const)]);
    return { project, problems, snapshot: { policy: project.scopes, services, apiKeys, definitions: definitionsFingerprint(project.services) } };
  } catch (err) {
    return { problems: [`${stateLayout(project.stateDir).apiKeysFile}: ${(err as Error).message}`] };
  }
}

export class PolicySource {
  private watchers: FSWatcher[] = [];
  private watchedFiles: string[] = [];
  private timer?: NodeJS.Timeout;
  private reloading: Promise<unknown> = Promise.resolve();
  /** Good and rejected reloads so far (for health reports and tests). */
  reloadCount = 0;
  failedReloads = 0;

  private constructor(readonly project: Project, public current: PolicySnapshot, private readonly log: (line: string) => void) {}

  /** Load now; throws PolicyLoadError listing every problem when the files do not validate. */
  static async open(root: string, log: (line: string) => void): Promise<PolicySource> {
    const { snapshot, project, problems } = await loadSnapshot(root);
    if (!snapshot || !project) throw new PolicyLoadError(`refusing to start: the configuration does not validate\n${problems.join('\n')}`);
    return new PolicySource(project, snapshot, log);
  }

  /** Reload on change; `onChange` runs after a good reload (authd clears its caches there). */
  watch(onChange: (snapshot: PolicySnapshot) => void): void {
    const schedule = () => {
      clearTimeout(this.timer);
      // Editors and atomic renames fire several events; settle before reading.
      this.timer = setTimeout(() => (this.reloading = this.reloading.then(() => this.reload(onChange))), 100);
    };
    const { scopesFile, registryDir } = this.project.paths;
    this.watchedFiles = [scopesFile, stateLayout(this.project.stateDir).apiKeysFile];
    // watchFile polls stat, which survives the file being replaced by rename (fs.watch does not).
    for (const file of this.watchedFiles) watchFile(file, { interval: 250 }, schedule);
    try {
      this.watchers.push(watch(registryDir, schedule));
    } catch {
      // No registry.d yet: nothing to watch; a restart picks it up.
    }
  }

  async reload(onChange?: (snapshot: PolicySnapshot) => void): Promise<boolean> {
    const { snapshot, problems } = await loadSnapshot(this.project.paths.root);
    if (!snapshot) {
      this.failedReloads++;
      this.log(`policy reload failed, keeping the last good policy:\n  ${problems.join('\n  ')}`);
      return false;
    }
    this.current = snapshot;
    this.reloadCount++;
    this.log(`policy reloaded: ${snapshot.services.size} service(s), ${Object.keys(snapshot.policy.scopes).length} scope(s), ${snapshot.apiKeys.length} API key(s)`);
    onChange?.(snapshot);
    return true;
  }

  close(): void {
    clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    for (const f of this.watchedFiles) unwatchFile(f);
  }
}
