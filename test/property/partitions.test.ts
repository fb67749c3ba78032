// Property 3 (R5): alarm partition overwrite, model-based (fc.commands) over scenarios run by the real runner.
import fc from 'fast-check';
import t from 'tap';
import type { Expectation, Step } from '../../harness/scenario/scenario.js';
import { assertScenarioProperty, checkScenario, scenario, step } from './scenarioFailure.js';

const PARTITIONS = ['HQ', 'Lobby', 'Basement', 'Vault', 'Garage'] as const;
/** An alarm an operator created: the plugin never touches it. */
const OPERATOR_ALARM = { name: 'Fire drill', recipients: ['alice'], partitions: ['Lobby', 'Vault'] };

interface Model {
  configured: string[];
  /** SiPass alarm class id -> the plugin alarm entity's partitions. */
  alarms: Map<string, string[]>;
  nextAlarm: number;
}
interface Real {
  steps: Step[];
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const expectStep = (expect: Expectation): Step => step({ kind: 'expect', expect });
const expectAll = (m: Model): Step[] => [
  ...[...m.alarms].map(([id, p]) => expectStep({ alarm: { alarm: id, partitions: [...p] } })),
  // R5: alarms the plugin did not create never change.
  expectStep({ alarm: { alarm: OPERATOR_ALARM.name, partitions: OPERATOR_ALARM.partitions, recipients: OPERATOR_ALARM.recipients } }),
];
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

/** R5 at a reconcile without a modified set: every configured partition is restored, nothing removed. */
function restore(m: Model): void {
  for (const [id, p] of m.alarms) m.alarms.set(id, [...p, ...m.configured.filter((c) => !p.includes(c))]);
}

class ApplyPartitions implements fc.Command<Model, Real> {
  /** `list` null: Apply the current set again, reordered by `shuffle`. */
  constructor(
    readonly list: string[] | null,
    readonly shuffle: number,
  ) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const next = this.list ?? rotate(m.configured, this.shuffle);
    if (sameSet(next, m.configured)) restore(m);
    else for (const id of m.alarms.keys()) m.alarms.set(id, [...next]); // modified: membership becomes exactly the new set
    m.configured = [...next];
    r.steps.push(step({ kind: 'apply', input: { alarmPartitions: [...next] } }), expectStep({ state: 'ready', config: { alarmPartitions: [...next] } }), ...expectAll(m));
  }
  toString = (): string => (this.list ? `apply partitions ${JSON.stringify(this.list)}` : `apply the same partitions reordered (${this.shuffle})`);
}

function rotate(xs: readonly string[], k: number): string[] {
  if (xs.length === 0) return [];
  const i = k % xs.length;
  const out = [...xs.slice(i), ...xs.slice(0, i)];
  return k % 2 === 1 ? out.reverse() : out;
}

class AddAlarmClass implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const id = `AC-${m.nextAlarm++}`;
    // R5: a new plugin alarm joins exactly the configured partitions.
    m.alarms.set(id, [...m.configured]);
    r.steps.push(step({ kind: 'addEntity', type: 'alarmClasses', entity: { id, name: `Generated alarm ${id}` } }), expectStep({ alarm: { alarm: id, partitions: [...m.configured] } }));
  }
  toString = (): string => 'SiPass adds an alarm class';
}

class EditPartition implements fc.Command<Model, Real> {
  constructor(
    readonly index: number,
    readonly add: boolean,
    readonly partition: string,
  ) {}
  check = (m: Readonly<Model>): boolean => m.alarms.size > 0;
  run(m: Model, r: Real): void {
    const id = pick([...m.alarms.keys()], this.index);
    const cur = m.alarms.get(id) ?? [];
    m.alarms.set(id, this.add ? (cur.includes(this.partition) ? cur : [...cur, this.partition]) : cur.filter((p) => p !== this.partition));
    r.steps.push(
      step({ kind: 'editAlarm', alarm: id, ...(this.add ? { addPartition: this.partition } : { removePartition: this.partition }) }),
      expectStep({ alarm: { alarm: id, partitions: [...(m.alarms.get(id) ?? [])] } }),
    );
  }
  toString = (): string => `operator ${this.add ? 'adds' : 'removes'} partition ${this.partition} on alarm #${this.index}`;
}

class Resync implements fc.Command<Model, Real> {
  constructor(readonly how: 'manualSync' | 'resetConnections') {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    restore(m);
    r.steps.push(step({ kind: this.how }), expectStep({ state: 'ready', within: 60_000 }), ...expectAll(m));
  }
  toString = (): string => (this.how === 'manualSync' ? 'manual sync' : 'connection reset, role reconnects');
}

const partitionSet = fc.uniqueArray(fc.constantFrom(...PARTITIONS), { maxLength: 3 });

const commands = fc.commands(
  [
    fc.tuple(fc.option(partitionSet, { freq: 2, nil: null }), fc.nat(10)).map(([l, s]) => new ApplyPartitions(l, s)),
    fc.constant(new AddAlarmClass()),
    fc.tuple(fc.nat(20), fc.boolean(), fc.constantFrom(...PARTITIONS)).map(([i, a, p]) => new EditPartition(i, a, p)),
    fc.tuple(fc.nat(20), fc.boolean(), fc.constantFrom(...PARTITIONS)).map(([i, a, p]) => new EditPartition(i, a, p)),
    fc.constantFrom(new Resync('manualSync'), new Resync('resetConnections')),
  ],
  { maxCommands: 10 },
);

t.test('R5: configured partitions stay; operator partitions survive an unmodified Apply and vanish on a modified one; operator alarms untouched', async (t) => {
  await assertScenarioProperty(
    t,
    'r5-partitions',
    fc.asyncProperty(fc.nat(1000), partitionSet, commands, async (seed, initial, cmds) => {
      const model: Model = { configured: [...initial], alarms: new Map([['AC-1', [...initial]], ['AC-2', [...initial]]]), nextAlarm: 100 };
      const real: Real = { steps: [expectStep({ state: 'ready', within: 60_000 }), ...expectAll(model)] };
      fc.modelRun(() => ({ model, real }), cmds);
      await checkScenario(
        scenario({
          name: 'R5 alarm partitions (generated)',
          rules: ['R5'],
          seed: seed + 1,
          population: { seed: seed + 1, alarmClasses: 2, cardholders: 3 },
          securityCenter: { users: ['alice'], groups: {}, partitions: [...PARTITIONS], role: 'SiPass plugin', alarms: [OPERATOR_ALARM] },
          plugin: { alarmPartitions: [...initial] },
          invariants: ['partitionsConfigured', 'noDuplicateEntities', 'readyMeansComplete'],
          steps: real.steps,
        }),
      );
    }),
    { numRuns: 25 },
  );
  t.pass('held');
});
