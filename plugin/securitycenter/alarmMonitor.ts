/** One triggering of an alarm entity, as the Security Center alarm monitor shows it. */
export interface AlarmTriggering {
  n: number;
  at: number;
  alarmId: string | null;
  alarmName: string;
  occurrenceId: string;
  /** raised: the occurrence's first triggering; retrigger: still active at a (re)connection (R10). */
  kind: 'raised' | 'retrigger';
  /** Users notified (R4): the flattened recipients at trigger time; empty for an empty list. */
  notified: string[];
  acknowledged: { by: string; from: 'sipass' | 'sc'; at: number } | null;
}

/**
 * The alarm monitor: every triggering, who was notified, acknowledgements.
 * Keeps the most recent `capacity` entries (the live-stream bench sends a
 * million) while counting all of them.
 */
export class AlarmMonitor {
  private readonly entries: AlarmTriggering[] = [];
  private readonly byOccurrence = new Map<string, AlarmTriggering>();
  private total = 0;

  constructor(private readonly capacity = 100_000) {}

  record(e: Omit<AlarmTriggering, 'n' | 'acknowledged'>): AlarmTriggering {
    const entry: AlarmTriggering = { ...e, n: ++this.total, acknowledged: this.byOccurrence.get(e.occurrenceId)?.acknowledged ?? null };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) {
      const dropped = this.entries.shift();
      if (dropped && this.byOccurrence.get(dropped.occurrenceId) === dropped) this.byOccurrence.delete(dropped.occurrenceId);
    }
    this.byOccurrence.set(e.occurrenceId, entry);
    return entry;
  }

  /** Whether an occurrence was ever triggered (among retained entries). */
  has(occurrenceId: string): boolean {
    return this.byOccurrence.has(occurrenceId);
  }

  acknowledge(occurrenceId: string, by: string, from: 'sipass' | 'sc', at: number): boolean {
    let found = false;
    for (const e of this.entries) {
      if (e.occurrenceId === occurrenceId && e.acknowledged === null) {
        e.acknowledged = { by, from, at };
        found = true;
      }
    }
    return found;
  }

  list(): readonly AlarmTriggering[] {
    return this.entries;
  }

  forOccurrence(occurrenceId: string): AlarmTriggering[] {
    return this.entries.filter((e) => e.occurrenceId === occurrenceId);
  }

  get count(): number {
    return this.total;
  }
}
