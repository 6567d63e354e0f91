// The policy authd runs with: the process's current project (one watcher on mcpgw.yaml,
// scopes.yml and registry.d — core/config/current-project). API keys are not policy: they are
// checked per request by ApiKeySource, so a broken scopes.yml cannot delay a revocation. A file
// that does not validate at start refuses the start; at reload it is logged and the last good
// policy stays in force — authd never runs without a policy (fails closed).
import { CurrentProject } from '../../core/config/current-project.js';
import { ConfigInvalidError, formatIssue } from '../../core/config/issues.js';
import type { Project } from '../../core/config/project.js';
import { serviceSchema, type ServiceDefinition } from '../../core/config/service.js';
import { definitionsFingerprint, policyFingerprint } from '../../core/config/definitions-fingerprint.js';
import { REGISTRY_SERVER, type Policy } from '../../core/policy/policy.js';
import { REGISTRY_PATH } from '../../core/wire/contract.js';
import { McpgwError } from '../../core/errors.js';

export interface PolicySnapshot {
  policy: Policy;
  services: Map<string, ServiceDefinition>;
  /** Fingerprint of registry.d's definitions, reported on /healthz (see waitForAuthd). */
  definitions: string;
  /** Fingerprint of scopes.yml's policy, reported on /healthz (a node's readiness compares it). */
  policyFingerprint: string;
}

/**
 * The registry MCP server, decided for like a service: authd needs its path (for the RFC 9728
 * metadata) and its body limit, the same 1 MiB as its Caddy route. The upstream is never dialed.
 */
const REGISTRY_SERVICE: ServiceDefinition = {
  ...serviceSchema.parse({ name: REGISTRY_SERVER, path: REGISTRY_PATH, upstream: 'http://127.0.0.1/', limits: { max_body_bytes: 1024 * 1024 } }),
  file: '(built in: the registry MCP server)',
};

/** authd refuses to start on files that do not validate (it never guesses a policy). */
export class PolicyLoadError extends McpgwError {
  constructor(message: string) {
    super('ERR_POLICY_INVALID', message, 'invalid-input');
  }
}

function snapshotOf(project: Project): PolicySnapshot {
  const services = new Map<string, ServiceDefinition>([[REGISTRY_SERVER, REGISTRY_SERVICE], ...project.services.map((s) => [s.name, s] as const)]);
  return { policy: project.scopes, services, definitions: definitionsFingerprint(project.services), policyFingerprint: policyFingerprint(project.scopes) };
}

export class PolicySource {
  private timer?: NodeJS.Timeout;
  private reloading: Promise<unknown> = Promise.resolve();
  private onChange?: (snapshot: PolicySnapshot) => void;
  /** Good and rejected reloads so far (for health reports and tests). */
  reloadCount = 0;
  failedReloads = 0;

  private constructor(private readonly files: CurrentProject, public current: PolicySnapshot, private readonly log: (line: string) => void) {
    files.onChange(() => this.schedule());
    files.onInvalid((issues) => {
      this.failedReloads++;
      this.log(`policy reload failed, keeping the last good policy:\n  ${issues.filter((i) => i.severity === 'error').map(formatIssue).join('\n  ')}`);
    });
  }

  /** The current project (authd reads listen addresses and providers at start only). */
  get project(): Project {
    return this.files.project;
  }

  /** Load now; throws PolicyLoadError listing every problem when the files do not validate. */
  static async open(root: string, log: (line: string) => void, options: { follow?: boolean } = {}): Promise<PolicySource> {
    let files: CurrentProject;
    try {
      files = await CurrentProject.open(root, { follow: options.follow });
    } catch (err) {
      if (!(err instanceof ConfigInvalidError)) throw err;
      const problems = err.issues.filter((i) => i.severity === 'error').map(formatIssue);
      throw new PolicyLoadError(`refusing to start: the configuration does not validate\n${problems.join('\n')}`);
    }
    return new PolicySource(files, snapshotOf(files.project), log);
  }

  /** Reload on change; `onChange` runs after a good reload (authd clears its caches there). */
  watch(onChange: (snapshot: PolicySnapshot) => void): void {
    this.onChange = onChange;
  }

  /** Rebuild the snapshot from the current project. */
  async reload(onChange = this.onChange): Promise<boolean> {
    const snapshot = snapshotOf(this.files.project);
    this.current = snapshot;
    this.reloadCount++;
    this.log(`policy reloaded: ${snapshot.services.size} service(s), ${Object.keys(snapshot.policy.scopes).length} scope(s)`);
    onChange?.(snapshot);
    return true;
  }

  close(): void {
    clearTimeout(this.timer);
    this.files.close();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    // The project watcher has settled already.
    this.timer = setTimeout(() => (this.reloading = this.reloading.then(() => this.reload())), 20);
  }
}
