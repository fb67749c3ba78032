// Property 5: every state and transition of SPEC's state machine, exercised against the real simulator.
// The paths come from an abstract model of the role's machine (xstate/graph); each is realised as a
// scenario (real loopback TCP, simulated clock) and the real role's sub-states must follow the path.
import t from 'tap';
import { createActor, createMachine } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import type { Step } from '../../harness/scenario/scenario.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../plugin/machine/backoff.js';
import type { PluginRole } from '../../plugin/pluginRole.js';
import { checkScenario, scenario, step } from './scenarioFailure.js';

type AbstractEvent = { type: 'APPLY_CONNECTION' | 'APPLY_SETTINGS' | 'CONNECTED' | 'CONNECT_FAILED' | 'RETRY' | 'CONNECTION_LOST' | 'SYNC_PROGRESS' | 'SYNC_DONE' | 'MANUAL_SYNC' };
const EVENTS: AbstractEvent[] = (['APPLY_CONNECTION', 'APPLY_SETTINGS', 'CONNECTED', 'CONNECT_FAILED', 'RETRY', 'CONNECTION_LOST', 'SYNC_PROGRESS', 'SYNC_DONE', 'MANUAL_SYNC'] as const).map((type) => ({ type }));

/** A self-transition (an action, so `can()` counts it as enabled). */
const stay = (): void => {};

/** SPEC "State machine", abstractly: no context, no effects, the back-off timer as an event. */
const model = createMachine({
  id: 'spec',
  types: {} as { events: AbstractEvent },
  initial: 'unconfigured',
  states: {
    unconfigured: { on: { APPLY_CONNECTION: 'connecting.dialing' } },
    connecting: {
      initial: 'dialing',
      on: { APPLY_CONNECTION: { target: '.dialing', reenter: true }, APPLY_SETTINGS: { actions: stay } },
      states: {
        dialing: { on: { CONNECTED: '#spec.syncing', CONNECT_FAILED: 'backoff' } },
        backoff: { on: { RETRY: 'dialing' } },
      },
    },
    syncing: {
      on: { SYNC_PROGRESS: { actions: stay }, SYNC_DONE: 'ready', CONNECTION_LOST: 'connecting.backoff', APPLY_CONNECTION: 'connecting.dialing', APPLY_SETTINGS: { actions: stay } },
    },
    ready: {
      on: { MANUAL_SYNC: 'syncing', CONNECTION_LOST: 'connecting.backoff', APPLY_CONNECTION: 'connecting.dialing', APPLY_SETTINGS: { actions: stay } },
    },
  },
});

type Value = string | Record<string, unknown>;
const detail = (v: Value): string => (typeof v === 'string' ? v : Object.entries(v).map(([k, x]) => `${k}.${String(x)}`)[0] ?? '');
const visible = (d: string): 'unconfigured' | 'connecting' | 'syncing' | 'ready' => d.split('.')[0] as 'unconfigured';

interface AbstractPath {
  name: string;
  events: AbstractEvent[];
  /** The sub-states the path goes through, starting at unconfigured. */
  states: string[];
}

/** One path per transition: the shortest path to its source state, then the transition. */
function transitionPaths(): { paths: AbstractPath[]; states: Set<string>; edges: Set<string> } {
  const opts = { events: EVENTS };
  const shortest = getShortestPaths(model, opts);
  const toState = new Map<string, AbstractPath>();
  for (const p of shortest) {
    const states = ['unconfigured', ...p.steps.slice(1).map((s) => detail(s.state.value as Value))];
    toState.set(detail(p.state.value), { name: '', events: p.steps.slice(1).map((s) => s.event), states });
  }
  const adjacency = getAdjacencyMap(model, opts);
  const paths: AbstractPath[] = [];
  const states = new Set<string>();
  const edges = new Set<string>();
  for (const node of Object.values(adjacency) as Array<{ state: { value: Value; can(e: AbstractEvent): boolean }; transitions: Record<string, { event: AbstractEvent; state: { value: unknown } }> }>) {
    const from = detail(node.state.value);
    states.add(from);
    for (const tr of Object.values(node.transitions)) {
      const to = detail(tr.state.value as Value);
      // Only enabled transitions (the adjacency map lists every event in every state; xstate.init too).
      if (!EVENTS.some((e) => e.type === tr.event.type) || !node.state.can(tr.event)) continue;
      const prefix = toState.get(from);
      if (!prefix) throw new Error(`no path to ${from}`);
      edges.add(`${from} -${tr.event.type}-> ${to}`);
      paths.push({ name: `${from} -${tr.event.type}-> ${to}`, events: [...prefix.events, tr.event], states: [...prefix.states, to] });
    }
  }
  return { paths, states, edges };
}

const SEED = 3;
const SERVER_PORT = 5645;
const OTHER_PORT = 5646;
const SYNC_RATE = 10; // entities per simulated second: a sync of 24 entities takes 2.4s, so `syncing` can be observed
const POPULATION = { seed: SEED, alarmClasses: 2, cardholders: 20, eventTypes: 2 };

/**
 * Realises an abstract path as scenario steps. `connecting.dialing` is left at once in the real role
 * (a refused dial fails, an accepted one connects), so the environment is prepared before every event
 * that enters dialing, from the event that follows it: CONNECTED -> the server listens on the role's
 * port; CONNECT_FAILED -> nothing listens there (refused); anything else or the path's end -> the port
 * is blocked, so the role stays dialing (until the 5s connect timeout).
 */
function realise(events: AbstractEvent[]): Step[] {
  const steps: Step[] = [];
  const env = { listening: true, blocked: false, serverPort: SERVER_PORT };
  let rolePort = SERVER_PORT;
  let host = '127.0.0.1';
  let attempt = 0;
  let recipients = 0;
  let connections = 0;
  let configured = false;
  /** The mode of the sync the role is in or last finished (R9: a manual sync shows as manual). */
  let syncMode: 'full' | 'manual' = 'full';
  const expect = (state: 'unconfigured' | 'connecting' | 'syncing' | 'ready', extra: Record<string, unknown> = {}): void => {
    steps.push(step({ kind: 'expect', expect: { state, ...extra } }));
  };
  const setBlocked = (b: boolean): void => {
    if (env.blocked !== b) steps.push(step({ kind: b ? 'blockPort' : 'unblockPort' }));
    env.blocked = b;
  };
  /** While nothing is connected: the server on (or off) the role's port. */
  const serverReachable = (up: boolean): void => {
    if (up && env.serverPort !== rolePort) {
      steps.push(step({ kind: 'serverPort', port: rolePort }));
      env.serverPort = rolePort;
      env.listening = true;
    } else if (up && !env.listening) {
      steps.push(step({ kind: 'startServer' }));
      env.listening = true;
    } else if (!up && env.listening && env.serverPort === rolePort) {
      steps.push(step({ kind: 'stopServer' }));
      env.listening = false;
    }
  };
  events.forEach((e, i) => {
    const next = events[i + 1]?.type;
    const outcome = next === 'CONNECTED' ? 'connect' : next === 'CONNECT_FAILED' ? 'refuse' : 'hang';
    switch (e.type) {
      case 'APPLY_CONNECTION': {
        // A host or port change reconnects (R6). The port decides refused vs reachable; the block, hanging.
        host = host === '127.0.0.1' ? 'localhost' : '127.0.0.1';
        rolePort = outcome === 'refuse' ? (env.serverPort === SERVER_PORT ? OTHER_PORT : SERVER_PORT) : env.serverPort;
        if (outcome !== 'refuse' && !env.listening) {
          steps.push(step({ kind: 'startServer' }));
          env.listening = true;
        }
        setBlocked(outcome === 'hang');
        steps.push(step({ kind: 'apply', input: { host, port: rolePort, ...(configured ? {} : { alarmRecipients: [] }) } }));
        configured = true;
        attempt = 0;
        syncMode = 'full';
        if (outcome === 'connect') connections++;
        // R6: the new host and port are applied; a reconnect starts over (no attempts, no retry
        // scheduled, unless the new dial was refused at once: CONNECT_FAILED checks that); syncing
        // is yellow (R9).
        expect(outcome === 'connect' ? 'syncing' : 'connecting', {
          config: { host, port: rolePort },
          ...(outcome === 'refuse' ? {} : { attempt: 0, nextRetry: { none: true } }),
          ...(outcome === 'connect' ? { health: 'warning' } : {}),
        });
        break;
      }
      case 'APPLY_SETTINGS':
        // Recipients only: same state (R6).
      {
        const list = recipients++ % 2 === 0 ? ['alice'] : [];
        steps.push(step({ kind: 'apply', input: { alarmRecipients: list } }));
        // R6: applied at once, the host and port unchanged (no reconnect).
        steps.push(step({ kind: 'expect', expect: { config: { host, port: rolePort, alarmRecipients: list }, connections: connections } }));
        break;
      }
      case 'CONNECTED':
        // Counted by the event that dialled (APPLY_CONNECTION or RETRY).
        syncMode = 'full';
        expect('syncing', { nextRetry: { none: true }, health: 'warning', attempt, connections });
        break;
      case 'CONNECT_FAILED':
        if (env.blocked) steps.push(step({ kind: 'wait', ms: 5_000 })); // the blocked dial times out
      {
        // R3: the back-off after attempt n is backoffDelay(n) (seeded jitter), counted from the failure.
        const delay = backoffDelay(attempt, { ...DEFAULT_BACKOFF, seed: SEED });
        attempt++;
        expect('connecting', { lastError: { code: env.blocked ? 'ROLE_CONNECT_TIMEOUT' : 'ROLE_CONNECT_REFUSED' }, attempt, health: 'error', nextRetry: { atLeast: 1, atMost: delay } });
        break;
      }
      case 'RETRY': {
        serverReachable(outcome !== 'refuse');
        setBlocked(outcome === 'hang');
        // The back-off timer fires exactly after backoffDelay(attempt - 1) (seeded jitter).
        steps.push(step({ kind: 'wait', ms: backoffDelay(attempt - 1, { ...DEFAULT_BACKOFF, seed: SEED }) }));
        if (outcome === 'connect') {
          connections++;
          syncMode = 'full';
        }
        // A refused retry has already failed again here (CONNECT_FAILED checks it).
        expect(outcome === 'connect' ? 'syncing' : 'connecting', {
          ...(outcome === 'refuse' ? {} : { attempt }),
          ...(outcome === 'connect' ? { nextRetry: { none: true }, connections } : {}),
        });
        break;
      }
      case 'CONNECTION_LOST': {
        steps.push(step({ kind: 'resetConnections' }));
        const delay = backoffDelay(attempt, { ...DEFAULT_BACKOFF, seed: SEED });
        attempt++;
        // R9: the lost connection is shown (red) with the retry it schedules.
        expect('connecting', { attempt, health: 'error', lastError: { code: 'ROLE_CONNECTION_CLOSED' }, nextRetry: { atLeast: 1, atMost: delay } });
        break;
      }
      case 'SYNC_PROGRESS':
        steps.push(step({ kind: 'wait', ms: 200 }));
        expect('syncing', { health: 'warning' });
        break;
      case 'SYNC_DONE':
        attempt = 0;
        // R9: ready is green, the attempts start over, the Synchronization tab shows this sync.
        expect('ready', { within: 60_000, attempt: 0, health: 'ok', nextRetry: { none: true }, syncTab: { lastSync: { mode: syncMode } }, countsMatch: true });
        break;
      case 'MANUAL_SYNC':
        steps.push(step({ kind: 'manualSync' }));
        syncMode = 'manual';
        expect('syncing', { health: 'warning', attempt: 0 });
        break;
    }
  });
  return steps;
}

/** Consecutive duplicates removed (self-transitions and re-entries do not show as sub-state changes). */
const compress = (xs: readonly string[]): string[] => xs.filter((x, i) => i === 0 || xs[i - 1] !== x);

/** A path given by its events, its sub-states computed by the abstract model. */
function pathOf(name: string, types: Array<AbstractEvent['type']>): AbstractPath {
  const actor = createActor(model).start();
  const states = ['unconfigured'];
  for (const type of types) {
    actor.send({ type });
    states.push(detail(actor.getSnapshot().value));
  }
  actor.stop();
  return { name, events: types.map((type) => ({ type })), states };
}

/**
 * Longer paths than one transition: the fields a state sets depend on how it was reached (the
 * attempts a failure counted are reset by ready, a manual sync shows as manual once done, a retry
 * time is cleared by a connection), which no shortest path shows.
 */
const FIELD_PATHS: AbstractPath[] = [
  pathOf('failures, then ready, then a manual sync', ['APPLY_CONNECTION', 'CONNECT_FAILED', 'RETRY', 'CONNECT_FAILED', 'RETRY', 'CONNECTED', 'SYNC_DONE', 'MANUAL_SYNC', 'SYNC_DONE']),
  pathOf('lost while ready, back, settings applied, lost while syncing, back', ['APPLY_CONNECTION', 'CONNECTED', 'SYNC_DONE', 'CONNECTION_LOST', 'RETRY', 'CONNECTED', 'APPLY_SETTINGS', 'CONNECTION_LOST', 'RETRY', 'CONNECTED', 'SYNC_DONE']),
];

const { paths: transitionOnly, states, edges } = transitionPaths();
const paths = [...transitionOnly, ...FIELD_PATHS];

t.test('the abstract model covers SPEC: four visible states, every transition', async (t) => {
  t.same([...states].sort(), ['connecting.backoff', 'connecting.dialing', 'ready', 'syncing', 'unconfigured']);
  t.same([...new Set([...states].map(visible))].sort(), ['connecting', 'ready', 'syncing', 'unconfigured']);
  t.equal(edges.size, 17, 'transitions of the abstract model');
  t.equal(transitionOnly.length, edges.size, 'one path per transition');
});

t.test('every path of the machine, executed against the real simulator', async (t) => {
  const covered = new Set<string>();
  for (const p of paths) {
    await t.test(p.name, async (t) => {
      const seen: string[] = [];
      const onRole = (role: PluginRole): void => {
        seen.push(role.snapshot().detail);
        role.on('snapshot', () => {
          const d = role.snapshot().detail;
          if (d !== seen[seen.length - 1]) seen.push(d);
        });
      };
      const want = compress(p.states);
      await checkScenario(
        scenario({
          name: `Machine path: ${p.events.map((e) => e.type).join(' > ')}`,
          rules: ['R3', 'R6', 'R7', 'R9'],
          seed: SEED,
          population: POPULATION,
          server: { host: '127.0.0.1', names: ['localhost'], port: SERVER_PORT, syncRate: SYNC_RATE, batchSize: 4 },
          securityCenter: { users: ['alice'], groups: {}, partitions: [], role: 'SiPass plugin', alarms: [] },
          steps: realise(p.events),
        }),
        { onRole },
        () => {
          const got = compress(seen);
          return JSON.stringify(got) === JSON.stringify(want) ? undefined : `the real role went through ${got.join(' > ')}, the model through ${want.join(' > ')}`;
        },
        `machine-path-${paths.indexOf(p) + 1}`,
      );
      const got = compress(seen);
      for (let i = 1; i < got.length; i++) covered.add(`${got[i - 1]} > ${got[i]}`);
      t.same(got, want, 'sub-states visited');
    });
  }
  // Every state change of the abstract model was seen in the real role (self-transitions leave no trace).
  const changes = [...edges].map((e) => e.split(/ -\w+-> /)).filter(([a, b]) => a !== b).map(([a, b]) => `${a} > ${b}`);
  for (const c of new Set(changes)) t.ok(covered.has(c), `real role took ${c}`);
});
