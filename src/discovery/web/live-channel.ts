// The live channel: server-sent events to signed-in pages. It follows what the prober writes
// (health.json, snapshots) and is told when the registry service's project changes (registry.d,
// scopes.yml), and sends each page its own view, so health, tool counts and last-checked times
// update without a reload.
import { watch, watchFile, unwatchFile, type FSWatcher } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { stateLayout } from '../../core/state/layout.js';
import type { Project } from '../../core/config/project.js';
import type { RegistryState } from './registry-state.js';
import type { WebSession } from './session-store.js';
import { personOf } from './registry-actions.js';

interface LiveClient {
  res: ServerResponse;
  session: WebSession;
}

/** Proxies close idle streams; a comment line every so often keeps them open. */
const HEARTBEAT_MS = 20_000;
/** Atomic renames and several writers fire bursts of events: settle first. */
const SETTLE_MS = 150;

export class LiveChannel {
  private readonly clients = new Set<LiveClient>();
  private watchers: FSWatcher[] = [];
  private polled: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly load: () => Promise<RegistryState>, private readonly log: (line: string) => void) {
    this.heartbeat = setInterval(() => this.each((c) => c.res.write(': keep-alive\n\n')), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Start the stream for a signed-in page and send the current view at once. */
  async open(res: ServerResponse, session: WebSession): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.write('retry: 3000\n\n');
    const client = { res, session };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    await this.sendTo([client], await this.load());
  }

  /** Follow the prober's files (the project's own files: the registry service's watcher). */
  watch(project: Project): void {
    const layout = stateLayout(project.stateDir);
    // watchFile polls stat: it survives the atomic rename writers use (fs.watch loses the inode).
    this.polled = [layout.healthFile];
    for (const file of this.polled) watchFile(file, { interval: 300 }, () => this.changed());
    for (const dir of [layout.snapshotsDir]) {
      try {
        this.watchers.push(watch(dir, () => this.changed()));
      } catch {
        // Not there yet (no snapshots before the first probe); health.json still drives updates.
      }
    }
  }

  /** Something changed: send every page its fresh view (coalesced). */
  changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.sending = this.sending.then(() => this.broadcast());
    }, SETTLE_MS);
  }

  /** A one-off message for every page (e.g. how applying a change went). */
  notice(message: { ok: boolean; gateway: string }): void {
    const line = `event: notice\ndata: ${JSON.stringify({ ok: message.ok, message: message.gateway })}\n\n`;
    this.each((c) => c.res.write(line));
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    for (const w of this.watchers) w.close();
    for (const f of this.polled) unwatchFile(f);
    this.each((c) => c.res.end());
    this.clients.clear();
  }

  private async broadcast(): Promise<void> {
    if (this.clients.size === 0) return;
    try {
      await this.sendTo([...this.clients], await this.load());
    } catch (err) {
      // A half-edited file does not validate: keep the pages on their last good view.
      this.log(`live update skipped: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  private async sendTo(clients: LiveClient[], state: RegistryState): Promise<void> {
    const now = Date.now();
    for (const client of clients) {
      if (client.session.expiresAt <= now) {
        // The session ended: tell the page, then close; it shows the sign-in screen.
        client.res.end('event: signed-out\ndata: {}\n\n');
        this.clients.delete(client);
        continue;
      }
      client.res.write(`event: registry\ndata: ${JSON.stringify(state.viewFor(personOf(client.session)))}\n\n`);
    }
  }

  private each(fn: (c: LiveClient) => void): void {
    for (const c of this.clients) fn(c);
  }
}
