/**
 * What the dashboard's keys do, as calls on the role and the server. Each
 * returns a line for the event log, or throws a TestbenchError whose message
 * is shown instead. Faults the in-process server cannot do are refused here.
 */
import { randomBytes } from 'node:crypto';
import { TestbenchError } from '../core/testbenchError.js';
import type { StepAction } from '../harness/scenario/scenario.js';
import type { ConfigInput } from '../plugin/config/pluginConfig.js';
import type { SiPassServer } from '../simulator/sipassServer.js';
import type { TuiSession } from './startDashboard.js';

export const SLOW_RATE = 2000;

export class Actions {
  private alarmCursor = 0;
  private eventCursor = 0;
  slowRate: number | null = null;
  /** Each action done, as the scenario step that replays it (the dashboard's recorder listens). */
  onStep: (step: StepAction) => void = () => undefined;
  private normalRate = 0;

  constructor(private readonly s: TuiSession) {
    this.normalRate = s.server?.syncRate ?? 0;
  }

  private server(what: string): SiPassServer {
    if (!this.s.server) throw new TestbenchError('TUI_NO_SERVER', `${what} needs the in-process server (the dashboard is attached to another process's server)`);
    return this.s.server;
  }

  /** The Properties tab's Apply; an ApplyRejectedError (nothing changed) is the form's to show in place. */
  apply(input: ConfigInput): string {
    this.s.role.apply(input);
    this.onStep({ kind: 'apply', input });
    return 'Properties applied';
  }

  manualSync(): string {
    this.s.role.manualSync();
    this.onStep({ kind: 'manualSync' });
    return 'manual sync requested';
  }

  raiseAlarm(): string {
    const server = this.server('raising an alarm');
    const classes = this.s.role.entities.pluginAlarms().map((a) => a.sipassId);
    if (classes.length === 0) throw new TestbenchError('TUI_NO_ALARM_CLASS', 'no alarm class synchronized yet');
    const id = classes[this.alarmCursor++ % classes.length] ?? '';
    const occ = server.raiseAlarm(id);
    this.onStep({ kind: 'raiseAlarm', alarmClass: id, occurrence: occ });
    return `SiPass raised alarm class ${id} (${occ})`;
  }

  acknowledgeAlarm(user = 'operator'): string {
    const open = [...this.s.sc.monitor.list()].reverse().find((e) => e.acknowledged === null);
    if (!open) throw new TestbenchError('TUI_NO_ALARM', 'no unacknowledged alarm in the alarm monitor');
    this.s.role.acknowledgeAlarm(open.occurrenceId, user);
    this.onStep({ kind: 'acknowledge', occurrence: open.occurrenceId, user });
    return `${user} acknowledged ${open.alarmName} (${open.occurrenceId}) in Security Center`;
  }

  clearAlarm(): string {
    const server = this.server('clearing an alarm');
    const active = server.alarms.list();
    const last = active[active.length - 1];
    if (!last) throw new TestbenchError('TUI_NO_ALARM', 'no active alarm in SiPass');
    server.clearAlarm(last.occurrenceId);
    this.onStep({ kind: 'clearAlarm', occurrence: last.occurrenceId });
    return `SiPass cleared ${last.occurrenceId}`;
  }

  fireEvent(): string {
    const server = this.server('firing an event');
    const types = [...this.s.role.entities.entities('customEvent')].map((e) => e.sipassId);
    if (types.length === 0) throw new TestbenchError('TUI_NO_EVENT_TYPE', 'no event type synchronized yet');
    const id = types[this.eventCursor++ % types.length] ?? '';
    const ev = server.fireEvent(id, 'dashboard');
    this.onStep({ kind: 'fireEvent', eventType: id, source: 'dashboard' });
    return `SiPass fired event type ${id} (${ev})`;
  }

  reset(): string {
    const n = this.server('reset').resetConnections('connection reset by the dashboard (fault)');
    this.onStep({ kind: 'resetConnections' });
    return `fault: reset ${n} connection${n === 1 ? '' : 's'}`;
  }

  toggleBlock(): string {
    const server = this.server('block');
    if (server.isBlocked) {
      server.unblock();
      this.onStep({ kind: 'unblockPort' });
      return 'fault: port unblocked';
    }
    server.block();
    this.onStep({ kind: 'blockPort' });
    return 'fault: port blocked (packets dropped)';
  }

  garbage(): string {
    const socket = this.s.roleSocket();
    if (!socket) throw new TestbenchError('TUI_NOT_CONNECTED', 'the role has no open connection to corrupt');
    const bytes = randomBytes(32);
    bytes[0] = 0; // never a frame's magic byte: the role must notice at once
    socket.emit('data', bytes);
    // The scenario's garbage fault does the same on the open connection: 32 bytes at once, one connection.
    this.onStep({ kind: 'fault', fault: { name: 'garbage', options: { bytes: 32, afterFrames: 0 }, times: 1 } });
    return "fault: 32 random bytes injected into the role's connection";
  }

  toggleSlow(): string {
    const server = this.server('slow');
    if (this.slowRate === null) {
      this.normalRate = server.syncRate;
      server.syncRate = SLOW_RATE;
      this.slowRate = SLOW_RATE;
      return `fault: slow sync on (${SLOW_RATE} entities/s)`;
    }
    server.syncRate = this.normalRate;
    this.slowRate = null;
    return 'fault: slow sync off';
  }

  async restart(): Promise<string> {
    const server = this.server('restart');
    await server.stop();
    const a = await server.start();
    this.onStep({ kind: 'restartServer' });
    return `fault: server restarted on ${a.host}:${a.port}`;
  }

  async setPort(port: number): Promise<string> {
    const server = this.server('changing the port');
    const old = server.port;
    let a: { host: string; port: number };
    try {
      a = await server.setPort(port);
    } catch (e) {
      // The new port is taken: the service comes back on the old one.
      await server.listen(old).catch(() => undefined);
      throw e;
    }
    this.onStep({ kind: 'serverPort', port: a.port });
    return `server port changed: now ${a.host}:${a.port} (apply the same port in the Properties tab)`;
  }
}
