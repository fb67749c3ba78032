import type { Clock } from '../../core/clock.js';
import { TestbenchError } from '../../core/testbenchError.js';
import { parseFaultArg } from '../faults/index.js';
import type { SiPassServer } from '../sipassServer.js';

/** Most alarms or events one request may raise (a script loops for more). */
export const MAX_PER_REQUEST = 1_000_000;
/** Ids listed in an answer; beyond it only the first and last are given. */
const LISTED_IDS = 100;

export interface RaiseAnswer {
  raised: number;
  first: string | null;
  last: string | null;
  ids?: string[];
}

function count(v: unknown, name: string): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PER_REQUEST) throw new TestbenchError('CONTROL_BAD_REQUEST', `${name} must be a whole number from 1 to ${MAX_PER_REQUEST}, got ${JSON.stringify(v)}`);
  return n;
}

function rate(v: unknown): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new TestbenchError('CONTROL_BAD_REQUEST', `rate must be a number of items per second (0 = all at once), got ${JSON.stringify(v)}`);
  return n;
}

function str(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new TestbenchError('CONTROL_BAD_REQUEST', `${name} must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function ids(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new TestbenchError('CONTROL_BAD_REQUEST', 'ids must be a list of strings');
  return v as string[];
}

/**
 * `count` items at `perSecond` on the server's clock (0 = in one go), in ticks of 10 ms so a
 * paced stream interleaves with the wire (and with faults) instead of arriving as one burst.
 */
async function paced(clock: Clock, n: number, perSecond: number, one: (i: number) => string): Promise<RaiseAnswer> {
  const out: string[] = [];
  let first: string | null = null;
  let last: string | null = null;
  const take = (i: number): void => {
    const id = one(i);
    if (first === null) first = id;
    last = id;
    if (n <= LISTED_IDS) out.push(id);
  };
  if (perSecond <= 0) {
    for (let i = 0; i < n; i++) take(i);
  } else {
    const tickMs = 10;
    let done = 0;
    const started = clock.now();
    while (done < n) {
      const due = Math.min(n, Math.floor(((clock.now() - started) / 1000) * perSecond) + 1);
      while (done < due) take(done++);
      if (done < n) await new Promise<void>((resolve) => clock.setTimeout(resolve, tickMs));
    }
  }
  return { raised: n, first, last, ...(n <= LISTED_IDS ? { ids: out } : {}) };
}

/**
 * What the control channel can make the SiPass side do (docs/control.md). Every action is a
 * method of SiPassServer already; this only checks the request and defaults the ids to the
 * site's first alarm class and event type.
 */
export class ControlActions {
  constructor(private readonly server: SiPassServer) {}

  private firstId(type: 'alarmClasses' | 'eventTypes'): string {
    for (const r of this.server.site.entities(type)) return r.id;
    throw new TestbenchError('SITE_NO_SUCH_ENTITY', `the site has no ${type === 'alarmClasses' ? 'alarm class' : 'event type'}`);
  }

  raiseAlarms(body: Record<string, unknown>): Promise<RaiseAnswer> {
    const alarmClassId = str(body.class, 'class') ?? this.firstId('alarmClasses');
    const n = count(body.count, 'count');
    const id = str(body.id, 'id');
    if (id !== undefined && n > 1) throw new TestbenchError('CONTROL_BAD_REQUEST', 'id names one occurrence: it cannot go with count > 1');
    return paced(this.server.clock, n, rate(body.rate), () => this.server.raiseAlarm(alarmClassId, id));
  }

  fireEvents(body: Record<string, unknown>): Promise<RaiseAnswer> {
    const eventTypeId = str(body.type, 'type') ?? this.firstId('eventTypes');
    const source = str(body.source, 'source') ?? 'SiPass control';
    const n = count(body.count, 'count');
    return paced(this.server.clock, n, rate(body.rate), () => this.server.fireEvent(eventTypeId, source));
  }

  /** SiPass-side acknowledgements: the listed occurrences, or every active unacknowledged one. */
  acknowledge(body: Record<string, unknown>): { acknowledged: number } {
    const by = str(body.by, 'by') ?? 'SiPass operator';
    const which = body.all === true ? this.server.alarms.list().filter((o) => !o.acknowledged).map((o) => o.occurrenceId) : ids(body.ids);
    for (const occ of which) this.server.acknowledgeAlarm(occ, by);
    return { acknowledged: which.length };
  }

  clear(body: Record<string, unknown>): { cleared: number } {
    const which = body.all === true ? this.server.alarms.list().map((o) => o.occurrenceId) : ids(body.ids);
    for (const occ of which) this.server.clearAlarm(occ);
    return { cleared: which.length };
  }

  reset(): { reset: number } {
    return { reset: this.server.resetConnections('connection reset from the control channel') };
  }

  addFault(body: Record<string, unknown>): { faults: string[] } {
    const spec = str(body.spec, 'spec');
    if (spec === undefined) throw new TestbenchError('CONTROL_BAD_REQUEST', 'spec is required, e.g. "latency:ms=200"');
    this.server.addFault(parseFaultArg(spec));
    return { faults: this.server.activeFaults() };
  }

  clearFaults(): { removed: number } {
    return { removed: this.server.clearFaults() };
  }
}
