import type { AlarmOccurrence } from '../protocol/messages.js';

/** The alarms active in SiPass: raised and not yet cleared (R10). */
export class AlarmBoard {
  private readonly active = new Map<string, AlarmOccurrence>();
  private nextId = 1;

  raise(alarmClassId: string, at: number, occurrenceId?: string): AlarmOccurrence {
    const id = occurrenceId ?? `OCC-${this.nextId++}`;
    const occ: AlarmOccurrence = { occurrenceId: id, alarmClassId, at, acknowledged: false };
    this.active.set(id, occ);
    return occ;
  }

  get(occurrenceId: string): AlarmOccurrence | undefined {
    return this.active.get(occurrenceId);
  }

  /** R10: who acknowledged is kept, so a role that was offline learns the name, not just the fact. */
  acknowledge(occurrenceId: string, by: string): boolean {
    const occ = this.active.get(occurrenceId);
    if (!occ) return false;
    occ.acknowledged = true;
    occ.acknowledgedBy = by;
    return true;
  }

  clear(occurrenceId: string): boolean {
    return this.active.delete(occurrenceId);
  }

  list(): AlarmOccurrence[] {
    return [...this.active.values()].map((o) => ({ ...o }));
  }

  get size(): number {
    return this.active.size;
  }
}
