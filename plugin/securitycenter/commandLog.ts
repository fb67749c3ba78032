import { BoundedLog } from '../../core/boundedLog.js';

/** R13: one manual-override command as Security Desk shows it: who ran what, and how it ended. */
export interface CommandEntry {
  n: number;
  at: number;
  role: string;
  operator: string;
  action: string;
  /** The SC entity it targeted (type, SC id, name), or the reference typed when none was found. */
  entity: string;
  detail: string;
  /** How it was started: by hand, or from an event-to-action (the event's name). */
  via: string;
  /** pending: sent to SiPass, no answer yet; executed / failed: SiPass's answer; refused: never sent. */
  result: 'pending' | 'executed' | 'failed' | 'refused';
  /** Why it was refused or failed. */
  cause: string | null;
}

/** Every command run from Security Desk, most recent `capacity` kept. */
export class CommandLog {
  private readonly entries: BoundedLog<CommandEntry>;
  private total = 0;

  constructor(capacity = 10_000) {
    this.entries = new BoundedLog(capacity);
  }

  add(e: Omit<CommandEntry, 'n'>): CommandEntry {
    const entry = { ...e, n: ++this.total };
    this.entries.push(entry);
    return entry;
  }

  list(): readonly CommandEntry[] {
    return this.entries.list();
  }

  get count(): number {
    return this.total;
  }
}
