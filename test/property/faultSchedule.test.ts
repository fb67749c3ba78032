import fc from 'fast-check';
import t from 'tap';
import { runScenario } from '../../harness/runner/runScenario.js';
import type { Scenario, Step, StepAction } from '../../harness/scenario/scenario.js';
import type { FaultSpec } from '../../simulator/faults/fault.js';
import { assertScenarioProperty, checkScenario } from './scenarioFailure.js';

/**
 * Random fault schedules (faults interleaved with entity changes, alarm
 * occurrences, resets and time) run through the scenario runner on a
 * simulated clock. Once the faults are cleared the role must converge to
 * exactly the server's site, and every alarm occurrence must be in the
 * monitor exactly once (raised), never twice (the occurrencesOnce invariant).
 * Default 15 runs; FC_NUM_RUNS scales it, FC_SEED replays one.
 */

const seedArb = fc.integer({ min: 0, max: 0xffff });
const toxicity = fc.constantFrom(0.3, 0.6, 1);

const faultArb: fc.Arbitrary<FaultSpec> = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 12 }).map((n) => ({ name: 'resetAfter' as const, options: { frames: n } })),
      fc.integer({ min: 1, max: 3 }).map((n) => ({ name: 'resetAfter' as const, options: { point: { afterBatch: n } } })),
      fc.constant({ name: 'resetAfter' as const, options: { point: 'live' } }),
      fc.integer({ min: 40, max: 400 }).map((n) => ({ name: 'resetAfter' as const, options: { bytes: n } })),
      fc.record({ ms: fc.integer({ min: 1, max: 500 }), jitterMs: fc.integer({ min: 0, max: 200 }) }).map((o) => ({ name: 'latency' as const, options: o })),
      fc.integer({ min: 2_000, max: 50_000 }).map((n) => ({ name: 'bandwidth' as const, options: { bytesPerSecond: n } })),
      fc.integer({ min: 8, max: 64 }).map((n) => ({ name: 'slicer' as const, options: { maxChunk: n } })),
      fc.integer({ min: 100, max: 5_000 }).map((n) => ({ name: 'slowClose' as const, options: { ms: n } })),
      fc.record({ bytes: fc.integer({ min: 1, max: 64 }), afterFrames: fc.integer({ min: 0, max: 6 }) }).map((o) => ({ name: 'garbage' as const, options: o })),
      fc.record({ afterFrames: fc.integer({ min: 0, max: 6 }), then: fc.constantFrom('silence', 'close') }).map((o) => ({ name: 'truncate' as const, options: o })),
      fc.integer({ min: 0, max: 6 }).map((n) => ({ name: 'oversize' as const, options: { afterFrames: n } })),
      fc.constant({ name: 'wrongVersion' as const, options: {} }),
      fc.constantFrom('http', 'ssh').map((speaks) => ({ name: 'foreignProtocol' as const, options: { speaks } })),
      fc.integer({ min: 0, max: 4 }).map((n) => ({ name: 'silence' as const, options: { afterFrames: n } })),
      fc.record({ duplicate: fc.double({ min: 0, max: 1, noNaN: true }), reorder: fc.double({ min: 0, max: 1, noNaN: true }) }).map((o) => ({ name: 'disorder' as const, options: o })),
    ),
    toxicity,
    seedArb,
    fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  )
  .map(([f, tox, seed, times]) => ({ ...f, toxicity: tox, seed, ...(times !== undefined ? { times } : {}) }));

type Op =
  | { op: 'fault'; fault: FaultSpec }
  | { op: 'alarm'; cls: number }
  | { op: 'add' }
  | { op: 'update'; door: number }
  | { op: 'delete' }
  | { op: 'reset' }
  | { op: 'clear' }
  | { op: 'wait'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: faultArb.map((fault) => ({ op: 'fault' as const, fault })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }).map((cls) => ({ op: 'alarm' as const, cls })) },
  { weight: 1, arbitrary: fc.constant({ op: 'add' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((door) => ({ op: 'update' as const, door })) },
  { weight: 1, arbitrary: fc.constant({ op: 'delete' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 100, max: 45_000 }).map((ms) => ({ op: 'wait' as const, ms })) },
);

function toScenario(ops: Op[], seed: number): { scenario: Scenario; occurrences: string[] } {
  const actions: StepAction[] = [{ kind: 'expect', expect: { state: 'ready', within: 10_000 } }];
  const occurrences: string[] = [];
  let added = 0;
  let deleted = 0;
  for (const o of ops) {
    switch (o.op) {
      case 'fault':
        actions.push({ kind: 'fault', fault: o.fault });
        break;
      case 'alarm': {
        const occ = `OCC-${occurrences.length + 1}`;
        occurrences.push(occ);
        actions.push({ kind: 'raiseAlarm', alarmClass: `AC-${o.cls}`, occurrence: occ });
        break;
      }
      case 'add':
        added++;
        actions.push({ kind: 'addEntity', type: 'cardholders', entity: { id: `CH-${100 + added}`, name: `Visitor ${added}` } });
        break;
      case 'update':
        actions.push({ kind: 'updateEntity', type: 'doorsets', id: `DS-${o.door}`, fields: { name: `Door renamed ${actions.length}` } });
        break;
      case 'delete':
        deleted++;
        if (deleted <= 12) actions.push({ kind: 'deleteEntity', type: 'cardholders', id: `CH-${deleted}` });
        break;
      case 'reset':
        actions.push({ kind: 'resetConnections' });
        break;
      case 'clear':
        actions.push({ kind: 'clearFaults' });
        break;
      case 'wait':
        actions.push({ kind: 'wait', ms: o.ms });
        break;
    }
  }
  // Heal, then the role must converge and hold every occurrence exactly once.
  actions.push({ kind: 'clearFaults' });
  // Frames a fault already held on a closing connection, back-off (30s at most) and heartbeats (40s) settle within this.
  actions.push({ kind: 'wait', ms: 2 * 60_000 });
  actions.push({ kind: 'expect', expect: { state: 'ready', converged: true, within: 5 * 60_000 } });
  for (const occ of occurrences) actions.push({ kind: 'expect', expect: { monitor: { occurrence: occ, kind: 'raised', count: 1 } } });
  const steps: Step[] = actions.map((a, i) => ({ ...a, at: { file: 'generated', line: i + 1, column: 1 } }));
  return {
    occurrences,
    scenario: {
      file: 'generated/faultSchedule.yaml',
      name: 'generated fault schedule',
      description: '',
      rules: ['R7', 'R10'],
      tags: ['faults', 'property'],
      seed,
      population: { seed: 7, alarmClasses: 3, cardholders: 12, doorsets: 4, units: 2, eventTypes: 4 },
      server: { host: '127.0.0.1', names: [], port: 5645, syncRate: 0, batchSize: 4 },
      securityCenter: { users: [], groups: {}, partitions: [], role: 'SiPass plugin', alarms: [] },
      plugin: {},
      invariants: ['readyMeansComplete', 'occurrencesOnce', 'noDuplicateEntities'],
      steps,
    },
  };
}

t.test('after any fault schedule heals, SC converges and every occurrence is in the monitor exactly once', async (t) => {
  // A failure is shrunk, then written as a YAML scenario that `sipass-testbench run` replays.
  await assertScenarioProperty(
    t,
    'fault-schedule-converges',
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 7 }), fc.integer({ min: 1, max: 1_000_000 }), async (ops, seed) => {
      await checkScenario(toScenario(ops, seed).scenario);
    }),
    { numRuns: 15 },
  );
});

t.test('the same schedule and seed replay the same simulated timeline', async (t) => {
  const ops: Op[] = [
    { op: 'fault', fault: { name: 'latency', options: { ms: 100, jitterMs: 80 }, seed: 3 } },
    { op: 'fault', fault: { name: 'resetAfter', options: { frames: 5 }, toxicity: 0.5, seed: 4 } },
    { op: 'alarm', cls: 1 },
    { op: 'reset' },
    { op: 'wait', ms: 20_000 },
    { op: 'alarm', cls: 2 },
  ];
  const a = await runScenario(toScenario(ops, 99).scenario);
  const b = await runScenario(toScenario(ops, 99).scenario);
  t.equal(a.status, 'passed');
  t.same(
    b.steps.map((s) => s.simulatedAt),
    a.steps.map((s) => s.simulatedAt),
    'every step at the same simulated instant',
  );
});
