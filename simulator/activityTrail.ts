import { BoundedLog } from '../core/boundedLog.js';

/** R13: one line of SiPass's activity trail: who ran what on which entity, when, and the result. */
export interface TrailEntry {
  n: number;
  at: number;
  /** The Security Center operator the command came from. */
  who: string;
  /** The command, e.g. "block", "pulse fast on output 2". */
  what: string;
  /** The SiPass entity, "doorsets:DS-1". */
  entity: string;
  result: 'executed' | 'failed';
  reason: string | null;
}

/** SiPass's activity trail of manual overrides, most recent `capacity` kept. */
export class ActivityTrail {
  private readonly entries: BoundedLog<TrailEntry>;
  private total = 0;

  constructor(capacity = 10_000) {
    this.entries = new BoundedLog(capacity);
  }

  write(e: Omit<TrailEntry, 'n'>): TrailEntry {
    const entry = { ...e, n: ++this.total };
    this.entries.push(entry);
    return entry;
  }

  list(): readonly TrailEntry[] {
    return this.entries.list();
  }

  get count(): number {
    return this.total;
  }
}
