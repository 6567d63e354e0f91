// The project a long-running process works with: loaded once, then reloaded when mcpgw.yaml,
// scopes.yml or registry.d change — one watcher, one debounce, shared by everything in the
// process. An edit that does not validate keeps the last good project (listeners are told why).
// Mounted files (Kubernetes ConfigMaps and Secrets, git-sync) change by swapping a symlink that
// directory watches do not see, so the same watcher also compares the files' stamps every 2 s.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConfigInvalidError, type ConfigIssue } from './issues.js';
import { loadProjectChecked, type Project } from './project.js';
import { stateLayout } from '../state/layout.js';

export interface CurrentProjectOptions {
  /** Follow the files (daemons). false: load once and never watch (the CLI). Default true. */
  follow?: boolean;
  /** Editors and atomic renames fire bursts of events: settle this long before reading. */
  debounceMs?: number;
  /** How often the files' stamps are compared (symlink swaps of mounted volumes). Default 2000. */
  pollMs?: number;
}

type Listener<T> = (value: T) => void;

const DEBOUNCE_MS = 100;
const POLL_MS = 2000;

/** Size, time and inode of each file as seen through symlinks: a swapped mount changes it. */
async function filesStamp(project: Project): Promise<string> {
  const { paths } = project;
  const one = async (file: string) => {
    const st = await stat(file, { bigint: true }).catch(() => undefined);
    return st ? `${file}:${st.ino}:${st.size}:${st.mtimeNs}` : `${file}:absent`;
  };
  const names = await readdir(paths.registryDir).catch(() => [] as string[]);
  // The federation peers' catalogues (written by `mcpgw federation refresh`) are desired state too.
  const catalogues = project.settings.federation.peers.map((p) => stateLayout(project.stateDir).peerCatalogueFile(p.name));
  const files = [paths.settingsFile, paths.scopesFile, ...names.sort().map((n) => join(paths.registryDir, n)), ...catalogues];
  return (await Promise.all(files.map(one))).join('|');
}

export class CurrentProject {
  private readonly changeListeners = new Set<Listener<Project>>();
  private readonly invalidListeners = new Set<Listener<ConfigIssue[]>>();
  private rootWatcher?: FSWatcher;
  private registryWatcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private poller?: NodeJS.Timeout;
  private stamp = '';
  private reloading: Promise<boolean> = Promise.resolve(true);
  private closed = false;
  /** Good and rejected reloads so far (for health reports and tests). */
  reloads = 0;
  failedReloads = 0;

  private constructor(private current: Project, private readonly debounceMs: number, private readonly pollMs: number) {}

  /** Load now; throws ConfigInvalidError with every problem when the files do not validate. */
  static async open(root: string, options: CurrentProjectOptions = {}): Promise<CurrentProject> {
    const { project, issues } = await loadProjectChecked(root);
    if (!project) throw new ConfigInvalidError(issues);
    const current = new CurrentProject(project, options.debounceMs ?? DEBOUNCE_MS, options.pollMs ?? POLL_MS);
    if (options.follow !== false) await current.follow();
    return current;
  }

  /** A project already loaded (e.g. a read-only command's, bad registry.d files left out), never followed. */
  static of(project: Project): CurrentProject {
    return new CurrentProject(project, DEBOUNCE_MS, POLL_MS);
  }

  get project(): Project {
    return this.current;
  }

  /** Called after each good reload with the new project; returns a function that unsubscribes. */
  onChange(listener: Listener<Project>): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called when the files changed but do not validate (the last good project stays). */
  onInvalid(listener: Listener<ConfigIssue[]>): () => void {
    this.invalidListeners.add(listener);
    return () => this.invalidListeners.delete(listener);
  }

  /** Read the files now (e.g. right after this process wrote them); serialised with watched reloads. */
  reload(): Promise<boolean> {
    clearTimeout(this.timer);
    this.reloading = this.reloading.then(() => this.readFiles());
    return this.reloading;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.poller);
    this.rootWatcher?.close();
    this.registryWatcher?.close();
  }

  private async readFiles(): Promise<boolean> {
    if (this.closed) return false;
    this.stamp = await filesStamp(this.current);
    const { project, issues } = await loadProjectChecked(this.current.paths.root).catch((err: Error) => ({
      project: undefined,
      issues: [{ code: 'E_READ', severity: 'error' as const, file: this.current.paths.root, message: err.message }],
    }));
    if (!project) {
      this.failedReloads++;
      for (const listener of this.invalidListeners) listener(issues);
      return false;
    }
    this.current = project;
    this.reloads++;
    for (const listener of this.changeListeners) listener(project);
    return true;
  }

  private schedule = (): void => {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  };

  /**
   * Directory watches (inotify), which see atomic renames as well as in-place writes: the
   * checkout for mcpgw.yaml, scopes.yml and registry.d appearing or being replaced, and
   * registry.d for its files.
   */
  private async follow(): Promise<void> {
    const { root, settingsFile, scopesFile, registryDir } = this.current.paths;
    this.stamp = await filesStamp(this.current);
    this.poller = setInterval(() => {
      void filesStamp(this.current).then((now) => {
        if (now === this.stamp || this.closed) return;
        // A swapped mount may have replaced registry.d itself: watch the directory it is now.
        this.watchRegistryDir(registryDir);
        this.schedule();
      });
    }, this.pollMs);
    this.poller.unref();
    const names = new Set([basename(settingsFile), basename(scopesFile), basename(registryDir)]);
    this.rootWatcher = watch(root, (_event, name) => {
      if (name !== null && !names.has(String(name))) return;
      if (String(name) === basename(registryDir)) this.watchRegistryDir(registryDir);
      this.schedule();
    });
    this.rootWatcher.on('error', () => {});
    this.watchRegistryDir(registryDir);
  }

  private watchRegistryDir(dir: string): void {
    this.registryWatcher?.close();
    this.registryWatcher = undefined;
    try {
      this.registryWatcher = watch(dir, this.schedule);
      this.registryWatcher.on('error', () => {});
    } catch {
      // No registry.d (yet): the checkout's watcher notices when it appears.
    }
  }
}
