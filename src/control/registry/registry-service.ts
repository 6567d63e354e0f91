// The registry application service, one per process: the current project (one watcher), who
// may see and change what, edit → validate → write as one transaction, one serialized apply
// (now, or after the caller's answer), probe-now, and which tools search may show a caller
// (discovery/search/find-for-caller runs the query). The CLI, the web UI and the registry MCP
// server are thin adapters over it, so each rule exists once.
import { CurrentProject } from '../../core/config/current-project.js';
import type { Project } from '../../core/config/project.js';
import type { RegistryRight } from '../../core/config/scopes.js';
import { ServiceNotFoundError } from '../../core/config/service-files.js';
import type { ServiceDefinition } from '../../core/config/service.js';
import { renderServiceYaml, type ServiceFields } from '../../core/config/service-yaml.js';
import { holdsRight, mayCallTool, maySeeService, rightsOf, RIGHT_FOR, type Actor, type RegistryChange } from '../../core/policy/registry-access.js';
import type { RecordedProbe } from '../probe/record-probe.js';
import { probeServices } from '../probe/probe-run.js';
import { ChangeRefusedError, RegistryRightError } from './errors.js';
import { requireRegistrationAllowed } from '../../core/policy/registration-policy.js';
import { editRegistry, type CandidateChange, type EditResult, type FileEdit } from './registry-transaction.js';
import { SerializedApply, type ApplyOutcome, type ApplyWhen } from './serialized-apply.js';
import { documentEdit, enabledEdit, newFileEdit, removalEdit } from './service-edit.js';

export interface RegistryServiceOptions {
  /** Follow the files (daemons); false loads once (a CLI command). Default true. */
  follow?: boolean;
}

/** What one change did: each file, and what became of the running gateway. */
export interface ChangeOutcome {
  changes: EditResult[];
  gateway: ApplyOutcome;
}

export interface ChangeOptions {
  apply?: ApplyWhen;
}

/** A new definition: its fields and the comment written at the top of its file. */
export interface NewDefinition {
  fields: ServiceFields & { name: string };
  comment?: string;
}

/** What the web UI (and anyone with `register`) may change in an existing definition. */
export interface DefinitionPatch {
  description?: string;
  tags?: string[];
  upstream?: string | string[];
}

export class RegistryService {
  private readonly applier: SerializedApply;

  private constructor(readonly current: CurrentProject) {
    this.applier = new SerializedApply(() => this.current.project);
  }

  static async open(root: string, options: RegistryServiceOptions = {}): Promise<RegistryService> {
    return new RegistryService(await CurrentProject.open(root, { follow: options.follow }));
  }

  /** Over a project already loaded, not followed: a read-only command (`mcpgw find`) that shows what validates. */
  static of(project: Project): RegistryService {
    return new RegistryService(CurrentProject.of(project));
  }

  get project(): Project {
    return this.current.project;
  }

  /** Called with the new project after every good reload (own writes and other editors'). */
  onChange(listener: (project: Project) => void): () => void {
    return this.current.onChange(listener);
  }

  /** Outcomes of applies that ran after an answer. */
  onAfterAnswerApply(listener: (outcome: ApplyOutcome) => void): () => void {
    return this.applier.onAfterAnswer(listener);
  }

  /** Stop watching once every apply asked for has run. */
  async close(): Promise<void> {
    await this.applier.idle();
    this.current.close();
  }

  // — who may see and change what (the rules: core/policy/registry-access) —

  rightsOf(actor: Actor): RegistryRight[] {
    return rightsOf(this.project.scopes, actor);
  }

  maySee(actor: Actor, name: string): boolean {
    return maySeeService(this.project.scopes, actor, name);
  }

  mayCallTool(actor: Actor, server: string, tool: string): boolean {
    return mayCallTool(this.project.scopes, actor, server, tool);
  }

  /**
   * Which tools search may show the actor: those of enabled services they may see, that
   * scopes.yml lets them call (an agent is never offered a tool the gateway refuses). Decided per
   * service once, so a query over thousands of tools pays one set lookup per tool.
   */
  findableTools(actor: Actor): (server: string, tool: string) => boolean {
    const shown = new Set(this.project.services.filter((s) => s.enabled && this.maySee(actor, s.name)).map((s) => s.name));
    return (server, tool) => shown.has(server) && this.mayCallTool(actor, server, tool);
  }

  visibleServices(actor: Actor): ServiceDefinition[] {
    return this.project.services.filter((s) => this.maySee(actor, s.name));
  }

  /** A service the actor may see, or ServiceNotFoundError (hidden services do not exist for them). */
  visibleService(actor: Actor, name: string): ServiceDefinition {
    const svc = this.project.services.find((s) => s.name === name);
    if (!svc || !this.maySee(actor, name)) throw new ServiceNotFoundError(name);
    return svc;
  }

  /** Throws RegistryRightError unless the actor holds the right `change` needs (checked against the current scopes.yml). */
  requireRight(actor: Actor, change: RegistryChange, what: string): void {
    const right = RIGHT_FOR[change];
    if (!holdsRight(this.project.scopes, actor, right)) throw new RegistryRightError(right, actor.subject, what);
  }

  // — edits: rights → every name and text checked → written → applied —

  async register(actor: Actor, definitions: readonly NewDefinition[], options: ChangeOptions & { replace?: boolean } = {}): Promise<ChangeOutcome> {
    this.requireRight(actor, 'register', `registering ${definitions.map((d) => d.fields.name).join(', ')}`);
    const edits = definitions.map((d) => newFileEdit(d.fields.name, renderServiceYaml(d.fields, d.comment), options.replace));
    return this.change(actor, edits, options);
  }

  async setEnabled(actor: Actor, names: readonly string[], enabled: boolean, options: ChangeOptions = {}): Promise<ChangeOutcome> {
    const unique = [...new Set(names)];
    this.requireRight(actor, enabled ? 'enable' : 'disable', `${enabled ? 'enabling' : 'disabling'} ${unique.join(', ')}`);
    this.refuseFederated(unique);
    return this.change(actor, unique.map((name) => enabledEdit(name, enabled)), options);
  }

  async edit(actor: Actor, name: string, patch: DefinitionPatch, options: ChangeOptions = {}): Promise<ChangeOutcome> {
    this.requireRight(actor, 'edit', `editing ${name}`);
    const svc = this.visibleService(actor, name);
    this.refuseFederated([name]);
    if (patch.upstream !== undefined && svc.transport === 'stdio') throw new ChangeRefusedError(`${name} runs a local command; it has no upstream to change`, `edit command: in ${svc.file}`);
    const edit = documentEdit(name, (doc) => {
      if (patch.description !== undefined) doc.set('description', patch.description);
      if (patch.tags !== undefined) doc.set('tags', patch.tags);
      if (patch.upstream !== undefined) doc.set('upstream', patch.upstream);
    });
    return this.change(actor, [edit], options);
  }

  async remove(actor: Actor, names: readonly string[], options: ChangeOptions = {}): Promise<ChangeOutcome> {
    const unique = [...new Set(names)];
    this.requireRight(actor, 'remove', `removing ${unique.join(', ')}`);
    this.refuseFederated(unique);
    return this.change(actor, unique.map(removalEdit), options);
  }

  /** Apply the files to the running gateway (serialized with every other apply of this process). */
  apply(when: ApplyWhen = 'now'): Promise<ApplyOutcome> {
    return this.applier.run(when);
  }

  /** Probe one service now and record its health and tools. */
  async refresh(actor: Actor, name: string): Promise<RecordedProbe> {
    const svc = this.visibleService(actor, name);
    this.requireRight(actor, 'refresh', `refreshing ${name}`);
    const [result] = await probeServices(this.project, [svc]);
    return result!;
  }

  /** A federation peer's services are the peer's: read-only here. */
  private refuseFederated(names: readonly string[]): void {
    for (const name of names) {
      const peer = this.project.services.find((s) => s.name === name)?.federation?.peer;
      if (peer) throw new ChangeRefusedError(`${name} is a service of the federation peer ${peer}: read-only here`, `change it on ${peer}; this gateway follows with mcpgw federation refresh`);
    }
  }

  private async change(actor: Actor, edits: FileEdit[], options: ChangeOptions): Promise<ChangeOutcome> {
    const changes = await editRegistry(this.project.paths, edits, (candidates) => this.checkCandidates(actor, candidates));
    const changed = changes.some((c) => c.changed);
    // Read what was written now, not when the watcher settles: the apply must push these files.
    if (changed) await this.current.reload();
    const gateway = changed ? await this.apply(options.apply) : { applied: true, message: 'no change', warnings: [] };
    return { changes, gateway };
  }

  /**
   * Every change from every front door passes here after validation and before writing: the
   * place for rules on what an actor may put into a definition (registration policy).
   */
  private checkCandidates(actor: Actor, changes: CandidateChange[]): void {
    requireRegistrationAllowed(this.project.scopes, actor, changes, this.project.paths.root);
  }
}
