import { BoundedLog } from '../../core/boundedLog.js';

/** A custom event (R11: the SiPass event's name) or a native SC event fired. */
export interface FiredEvent {
  n: number;
  at: number;
  kind: 'custom' | 'native';
  name: string;
  eventId: string;
  source: string;
  /** R11: the SC entity the sync created for the event's SiPass source entity, when it has one. */
  sourceEntity: { type: string; id: string; name: string } | null;
  role: string;
}

/** Events fired in Security Center, most recent `capacity` kept, all counted. */
export class EventLog {
  private readonly entries: BoundedLog<FiredEvent>;
  private total = 0;
  private readonly counts = new Map<string, number>();

  constructor(capacity = 100_000) {
    this.entries = new BoundedLog(capacity);
  }

  fire(e: Omit<FiredEvent, 'n'>): FiredEvent {
    // Fields listed, not spread: an object spread here cost ~5 us per event on the live stream (bench).
    const entry: FiredEvent = { at: e.at, kind: e.kind, name: e.name, eventId: e.eventId, source: e.source, sourceEntity: e.sourceEntity, role: e.role, n: ++this.total };
    this.entries.push(entry);
    const key = `${e.kind}:${e.name}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return entry;
  }

  list(): readonly FiredEvent[] {
    return this.entries.list();
  }

  countOf(kind: 'custom' | 'native', name: string): number {
    return this.counts.get(`${kind}:${name}`) ?? 0;
  }

  get count(): number {
    return this.total;
  }
}
