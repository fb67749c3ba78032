// The R4 model (property 2): commands, model and property, shared by recipients.test.ts and injectedBug.test.ts.
import fc from 'fast-check';
import type { PluginRoleOptions } from '../../plugin/pluginRole.js';
import type { Expectation, Step } from '../../harness/scenario/scenario.js';
import { checkScenario, scenario, step } from './scenarioFailure.js';

// The Security Center directory every run uses: users, groups, a nested group and an empty one.
export const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;
export const GROUPS: Record<string, string[]> = {
  'Night shift': ['bob', 'carol'],
  Guards: ['alice', 'Night shift'],
  Managers: ['dave'],
  Everyone: ['Guards', 'Managers', 'erin'],
  Nobody: [],
};
const RECIPIENTS = [...USERS, ...Object.keys(GROUPS)];

/** The model's flattening (independent of Directory.flatten): users reached through any nesting, once each. */
export function flatten(recipients: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (n: string, seen: Set<string>): void => {
    if ((USERS as readonly string[]).includes(n)) out.add(n);
    else if (GROUPS[n] && !seen.has(n)) for (const m of GROUPS[n]) visit(m, new Set([...seen, n]));
  };
  for (const r of recipients) visit(r, new Set());
  return [...out].sort();
}

const dedup = (xs: readonly string[]): string[] => [...new Set(xs)];

interface Model {
  recipients: string[];
  /** SiPass alarm class id -> the SC alarm entity's recipients. */
  alarms: Map<string, string[]>;
  nextAlarm: number;
  nextOcc: number;
}
interface Real {
  steps: Step[];
}

const expectAlarm = (id: string, recipients: string[]): Step => step({ kind: 'expect', expect: { alarm: { alarm: id, recipients: [...recipients] } } });
const expectAll = (m: Model): Step[] => [...m.alarms].map(([id, r]) => expectAlarm(id, r));
const expectStep = (expect: Expectation): Step => step({ kind: 'expect', expect });
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

class ApplyRecipients implements fc.Command<Model, Real> {
  constructor(readonly list: string[]) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    m.recipients = dedup(this.list);
    r.steps.push(
      step({ kind: 'apply', input: { alarmRecipients: [...this.list] } }),
      // R6: recipients only: no reconnect, same state; R4: existing alarm entities keep theirs.
      expectStep({ state: 'ready', config: { alarmRecipients: [...m.recipients] } }),
      ...expectAll(m),
    );
  }
  toString = (): string => `apply recipients ${JSON.stringify(this.list)}`;
}

class AddAlarmClass implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const n = m.nextAlarm++;
    const id = `AC-${n}`;
    // R4: a new alarm entity's recipients are a copy of the role's list at its creation.
    m.alarms.set(id, [...m.recipients]);
    r.steps.push(step({ kind: 'addEntity', type: 'alarmClasses', entity: { id, name: `Generated alarm ${n}`, priority: 5 } }), expectAlarm(id, m.recipients));
  }
  toString = (): string => 'SiPass adds an alarm class';
}

class EditRecipients implements fc.Command<Model, Real> {
  constructor(
    readonly index: number,
    readonly add: boolean,
    readonly recipient: string,
  ) {}
  check = (m: Readonly<Model>): boolean => m.alarms.size > 0;
  run(m: Model, r: Real): void {
    const id = pick([...m.alarms.keys()], this.index);
    const cur = m.alarms.get(id) ?? [];
    const next = this.add ? (cur.includes(this.recipient) ? cur : [...cur, this.recipient]) : cur.filter((x) => x !== this.recipient);
    m.alarms.set(id, next);
    r.steps.push(
      step({ kind: 'editAlarm', alarm: id, ...(this.add ? { addRecipient: this.recipient } : { removeRecipient: this.recipient }) }),
      expectAlarm(id, next),
      expectStep({ config: { alarmRecipients: [...m.recipients] } }),
    );
  }
  toString = (): string => `operator ${this.add ? 'adds' : 'removes'} recipient ${this.recipient} on alarm #${this.index}`;
}

class RaiseAlarm implements fc.Command<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>): boolean => m.alarms.size > 0;
  run(m: Model, r: Real): void {
    const id = pick([...m.alarms.keys()], this.index);
    const occurrence = `OCC-P${m.nextOcc++}`;
    // R4: triggered once, notifying exactly the flattened users (nobody for an empty list).
    r.steps.push(
      step({ kind: 'raiseAlarm', alarmClass: id, occurrence }),
      expectStep({ monitor: { occurrence, count: 1, kind: 'raised', notified: flatten(m.alarms.get(id) ?? []) } }),
      step({ kind: 'clearAlarm', occurrence }),
    );
  }
  toString = (): string => `SiPass raises alarm #${this.index}`;
}

class Reconnect implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.steps.push(step({ kind: 'resetConnections' }), expectStep({ state: 'ready', within: 60_000 }), ...expectAll(m));
  }
  toString = (): string => 'connection reset, role reconnects';
}

class ManualSync implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    r.steps.push(step({ kind: 'manualSync' }), expectStep({ state: 'ready', within: 60_000 }), ...expectAll(m));
  }
  toString = (): string => 'manual sync';
}

const recipientList = fc.array(fc.constantFrom(...RECIPIENTS), { maxLength: 4 });

export const commands = fc.commands(
  [
    recipientList.map((l) => new ApplyRecipients(l)),
    fc.constant(new AddAlarmClass()),
    fc.tuple(fc.nat(20), fc.boolean(), fc.constantFrom(...RECIPIENTS)).map(([i, a, x]) => new EditRecipients(i, a, x)),
    fc.nat(20).map((i) => new RaiseAlarm(i)),
    fc.constant(new Reconnect()),
    fc.constant(new ManualSync()),
  ],
  { maxCommands: 10 },
);

/** The R4 property; `roleOptions` lets a test inject a known bug. */
export function recipientsProperty(roleOptions?: PluginRoleOptions): fc.IAsyncProperty<[number, string[], Iterable<fc.Command<Model, Real>>]> {
  return fc.asyncProperty(fc.nat(1000), recipientList, commands, async (seed, initial, cmds) => {
    const model: Model = { recipients: dedup(initial), alarms: new Map([['AC-1', dedup(initial)], ['AC-2', dedup(initial)]]), nextAlarm: 100, nextOcc: 1 };
    const real: Real = { steps: [expectStep({ state: 'ready', within: 60_000 }), ...expectAll(model)] };
    fc.modelRun(() => ({ model, real }), cmds);
    await checkScenario(
      scenario({
        name: 'R4 alarm recipients (generated)',
        rules: ['R4'],
        seed: seed + 1,
        population: { seed: seed + 1, alarmClasses: 2, cardholders: 3, eventTypes: 2 },
        securityCenter: { users: [...USERS], groups: GROUPS, partitions: ['HQ'], role: 'SiPass plugin', alarms: [] },
        plugin: { alarmRecipients: [...initial] },
        invariants: ['occurrencesOnce', 'noDuplicateEntities', 'readyMeansComplete'],
        steps: real.steps,
      }),
      roleOptions ? { roleOptions } : {},
    );
  });
}

