import { EventEmitter } from 'node:events';
import type { PluginRole, RoleNotice } from '../plugin/pluginRole.js';
import type { ServerEvent, SiPassServer } from '../simulator/sipassServer.js';
import { noticeEntry, serverEntry, type LogEntry } from './viewModel.js';

/**
 * One stream of log entries from the role's notices, the in-process server's
 * events and the operator's actions: the dashboard's event log and the plain
 * (non-TTY) log show the same entries. Keeps the most recent `capacity`.
 */
export class ActivityFeed extends EventEmitter {
  private readonly entries: LogEntry[] = [];
  private readonly detach: Array<() => void> = [];

  constructor(
    role: PluginRole,
    server: SiPassServer | null,
    private readonly capacity = 500,
  ) {
    super();
    const onNotice = (n: RoleNotice): void => this.push(noticeEntry(n, Date.now()));
    role.on('notice', onNotice);
    this.detach.push(() => role.off('notice', onNotice));
    if (server) {
      const onEvent = (e: ServerEvent): void => {
        const entry = serverEntry(e, Date.now());
        if (entry) this.push(entry);
      };
      server.on('event', onEvent);
      this.detach.push(() => server.off('event', onEvent));
    }
  }

  push(e: LogEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.emit('entry', e);
  }

  action(text: string, kind: LogEntry['kind'] = 'action'): void {
    this.push({ at: Date.now(), kind, text });
  }

  list(): readonly LogEntry[] {
    return this.entries;
  }

  close(): void {
    for (const d of this.detach.splice(0)) d();
  }
}
