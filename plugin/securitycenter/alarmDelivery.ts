import type { Clock } from '../../core/clock.js';
import type { AlarmOccurrence, ScAcknowledge } from '../../protocol/messages.js';
import type { AlarmMonitor } from './alarmMonitor.js';
import type { Directory } from './directory.js';
import type { AlarmEntity } from './scTypes.js';

/** What the role reports when an alarm entity is triggered. */
export interface AlarmNotice {
  kind: 'alarm';
  occurrenceId: string;
  alarmName: string;
  notified: string[];
  retrigger: boolean;
}

export interface AlarmDeliveryDeps {
  readonly clock: Clock;
  readonly monitor: AlarmMonitor;
  readonly directory: Directory;
  /** The role's prefix for acknowledgement request ids (unique per role). */
  readonly requestPrefix: string;
  /** The plugin-created alarm entity of a SiPass alarm class, if synchronized. */
  alarmFor(alarmClassId: string): AlarmEntity | undefined;
  notify(n: AlarmNotice): void;
  /** Sends to SiPass when the connection is up; false when it is not (kept for the reconnect). */
  send(m: ScAcknowledge): boolean;
}

/**
 * R10 alarms at runtime: SiPass occurrences trigger their SC alarm entity (R4 recipients
 * notified), acknowledgements go both ways, and SC acknowledgements made while disconnected are
 * kept and sent on reconnect until SiPass confirms them.
 */
export class AlarmDelivery {
  /** SC acknowledgements not yet confirmed by SiPass, by request id, resent on reconnect. */
  private readonly pending = new Map<string, { occurrenceId: string; user: string }>();
  private nextAckId = 1;

  constructor(private readonly deps: AlarmDeliveryDeps) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A live alarm raised in SiPass: triggers once per occurrence. */
  raised(occurrenceId: string, alarmClassId: string): void {
    if (!this.deps.monitor.has(occurrenceId)) this.trigger(occurrenceId, alarmClassId, false);
  }

  /** R10: every alarm still active in SiPass is triggered on (re)connection. */
  stillActive(occurrences: readonly AlarmOccurrence[]): void {
    for (const o of occurrences) {
      this.trigger(o.occurrenceId, o.alarmClassId, this.deps.monitor.has(o.occurrenceId));
      // R10: the acknowledger's name is kept, also for an acknowledgement made while offline.
      if (o.acknowledged) this.deps.monitor.acknowledge(o.occurrenceId, o.acknowledgedBy ?? 'SiPass', 'sipass', this.deps.clock.now());
    }
  }

  /** An acknowledgement made in SiPass. */
  acknowledgedInSiPass(occurrenceId: string, by: string): void {
    this.deps.monitor.acknowledge(occurrenceId, by, 'sipass', this.deps.clock.now());
  }

  /**
   * An operator acknowledges in SC: sent to SiPass now, or on reconnect. R10: an occurrence
   * already acknowledged (on either side) is not acknowledged or sent again: returns false.
   */
  acknowledgeInSc(occurrenceId: string, user: string): boolean {
    if (!this.deps.monitor.acknowledge(occurrenceId, user, 'sc', this.deps.clock.now())) return false;
    const requestId = `${this.deps.requestPrefix}-ack-${this.nextAckId++}`;
    this.pending.set(requestId, { occurrenceId, user });
    this.deps.send({ t: 'scAck', requestId, occurrenceId, user });
    return true;
  }

  /** SiPass took (or refused) an acknowledgement: no longer pending. */
  confirmed(requestId: string): void {
    this.pending.delete(requestId);
  }

  /** On (re)connection: acknowledgements made while disconnected go out now, once each. */
  resendPending(send: (m: ScAcknowledge) => void): void {
    for (const [requestId, a] of this.pending) send({ t: 'scAck', requestId, occurrenceId: a.occurrenceId, user: a.user });
  }

  private trigger(occurrenceId: string, alarmClassId: string, retrigger: boolean): void {
    const alarm = this.deps.alarmFor(alarmClassId);
    // R4: an empty recipient list still triggers; nobody is notified.
    const notified = alarm ? this.deps.directory.flatten(alarm.recipients) : [];
    const alarmName = alarm?.name ?? `unmapped alarm class ${alarmClassId}`;
    this.deps.monitor.record({
      at: this.deps.clock.now(),
      alarmId: alarm?.id ?? null,
      alarmName,
      occurrenceId,
      kind: retrigger ? 'retrigger' : 'raised',
      notified,
    });
    this.deps.notify({ kind: 'alarm', occurrenceId, alarmName, notified, retrigger });
  }
}
