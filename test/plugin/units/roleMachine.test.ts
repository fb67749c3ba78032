// The role's state machine alone (SPEC "State machine", R3, R6, R9): each event's context fields,
// the effects it names and their parameters, the back-off timer and the sync progress figures
// (issue 13: machine paths check states over real scenarios; this checks every field directly).
import t from 'tap';
import { createActor } from 'xstate';
import { SimulatedClock } from '../../../core/clock.js';
import type { ErrorInfo } from '../../../core/testbenchError.js';
import type { PluginConfig } from '../../../plugin/config/pluginConfig.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../plugin/machine/backoff.js';
import { roleMachine, visibleState } from '../../../plugin/machine/roleMachine.js';
import { advanceProgress, beginProgress } from '../../../plugin/machine/syncProgress.js';

const CONFIG: PluginConfig = { host: 'h', port: 1, alarmRecipients: [], alarmPartitions: ['HQ'], credentialSync: false };
const ERR = (code: string, at: number): ErrorInfo => ({ code, message: code, at });
const POLICY = { baseMs: 100, maxMs: 1000, jitter: 0, seed: 1 };

function machine() {
  const clock = new SimulatedClock(0);
  const effects: string[] = [];
  const m = roleMachine.provide({
    actions: {
      dial: ({ context }) => void effects.push(`dial ${context.config?.host ?? 'none'}`),
      hangUp: () => void effects.push('hangUp'),
      requestSync: (_, p) => void effects.push(`requestSync ${p.mode}`),
      applyAlarmSettings: (_, p) => void effects.push(`partitions ${p.partitions.join('+')} overwrite ${String(p.overwritePartitions)}`),
    },
  });
  const actor = createActor(m, { clock, input: { backoff: POLICY } }).start();
  const ctx = () => actor.getSnapshot().context;
  const detail = () => JSON.stringify(actor.getSnapshot().value);
  return { clock, actor, effects, ctx, detail };
}

void t.test('the default context, and the default back-off when none is given', async (t) => {
  const a = createActor(roleMachine, { input: {} }).start();
  t.strictSame(a.getSnapshot().context, { config: null, backoff: DEFAULT_BACKOFF, attempt: 0, lastError: null, nextRetryAt: null, retryDelayMs: 0, syncMode: 'full', progress: null, lastSync: null, connectedAt: null });
  t.equal(visibleState(a.getSnapshot().value), 'unconfigured');
  a.stop();
});

void t.test('apply, fail, back off, retry, connect, sync, lose the connection, reconnect by Apply', async (t) => {
  const { clock, actor, effects, ctx, detail } = machine();
  actor.send({ type: 'APPLY', at: 0, config: CONFIG, reconnect: true, overwritePartitions: false });
  t.equal(detail(), '{"connecting":"dialing"}', 'the first Apply leaves unconfigured whatever the flags');
  t.strictSame(effects, ['dial h']);
  t.equal(ctx().config, CONFIG);
  clock.advanceBy(10);
  actor.send({ type: 'CONNECT_FAILED', at: 10, error: ERR('ROLE_CONNECT_REFUSED', 10) });
  t.equal(detail(), '{"connecting":"backoff"}');
  t.strictSame(
    { attempt: ctx().attempt, retryDelayMs: ctx().retryDelayMs, nextRetryAt: ctx().nextRetryAt, lastError: ctx().lastError?.code },
    { attempt: 1, retryDelayMs: 100, nextRetryAt: 110, lastError: 'ROLE_CONNECT_REFUSED' },
  );
  t.equal(effects.at(-1), 'hangUp', 'back-off hangs up');
  clock.advanceBy(99);
  t.equal(detail(), '{"connecting":"backoff"}', 'not before the delay');
  clock.advanceBy(1);
  t.equal(detail(), '{"connecting":"dialing"}', 'dialling again after exactly the delay');
  actor.send({ type: 'CONNECT_FAILED', at: 110, error: ERR('ROLE_CONNECT_TIMEOUT', 110) });
  t.strictSame([ctx().attempt, ctx().retryDelayMs, ctx().nextRetryAt], [2, 200, 310], 'the delay doubles');
  clock.advanceBy(200);
  actor.send({ type: 'CONNECTED', at: 310 });
  t.equal(detail(), '"syncing"');
  t.strictSame([ctx().connectedAt, ctx().nextRetryAt, ctx().syncMode, ctx().attempt], [310, null, 'full', 2], 'attempts are kept until ready');
  t.equal(effects.at(-1), 'requestSync full');
  actor.send({ type: 'SYNC_PROGRESS', at: 311, entityType: 'units', count: 5 });
  t.equal(ctx().progress, null, 'progress before SYNC_BEGIN is ignored');
  actor.send({ type: 'SYNC_BEGIN', at: 320, totals: { units: 10 } });
  actor.send({ type: 'SYNC_PROGRESS', at: 420, entityType: 'units', count: 5 });
  t.strictSame(ctx().progress, { mode: 'full', startedAt: 320, perType: { units: { done: 5, total: 10 } }, done: 5, total: 10, rate: 50, etaMs: 100 });
  actor.send({ type: 'SYNC_DONE', at: 520, counts: { units: 10 } });
  t.equal(detail(), '"ready"');
  t.strictSame(ctx().lastSync, { mode: 'full', startedAt: 320, endedAt: 520, counts: { units: 10 } });
  t.equal(ctx().attempt, 0, 'ready resets the attempts');

  actor.send({ type: 'MANUAL_SYNC', at: 600 });
  t.equal(detail(), '"syncing"');
  t.strictSame([ctx().syncMode, ctx().progress], ['manual', null], 'a manual sync starts without progress');
  t.equal(effects.at(-1), 'requestSync manual');
  actor.send({ type: 'SYNC_DONE', at: 650, counts: {} });
  t.strictSame(ctx().lastSync, { mode: 'manual', startedAt: 650, endedAt: 650, counts: {} }, 'no SYNC_BEGIN: started when it ended');
  actor.send({ type: 'MANUAL_SYNC', at: 700 });
  actor.send({ type: 'SYNC_BEGIN', at: 700, totals: {} });
  t.equal(ctx().progress?.mode, 'manual');

  actor.send({ type: 'CONNECTION_LOST', at: 800, error: ERR('ROLE_CONNECTION_RESET', 800) });
  t.equal(detail(), '{"connecting":"backoff"}', 'lost while syncing');
  t.strictSame([ctx().attempt, ctx().retryDelayMs, ctx().nextRetryAt, ctx().connectedAt, ctx().lastError?.code], [1, 100, 900, null, 'ROLE_CONNECTION_RESET']);
  clock.advanceBy(10_000);
  actor.send({ type: 'CONNECTED', at: 900 });
  actor.send({ type: 'SYNC_DONE', at: 900, counts: {} });
  t.equal(ctx().syncMode, 'full', 'a new connection syncs in full');
  actor.send({ type: 'CONNECTION_LOST', at: 1000, error: ERR('ROLE_CONNECTION_CLOSED', 1000) });
  t.equal(detail(), '{"connecting":"backoff"}', 'lost while ready');
  t.equal(ctx().attempt, 1);

  effects.length = 0;
  actor.send({ type: 'APPLY', at: 1001, config: { ...CONFIG, host: 'other' }, reconnect: true, overwritePartitions: true });
  t.equal(detail(), '{"connecting":"dialing"}', 'a host/port Apply dials at once');
  t.strictSame(effects, ['hangUp', 'partitions HQ overwrite true', 'dial other'], 'hang up, R5 settings, then dial with the new config');
  t.strictSame([ctx().attempt, ctx().nextRetryAt, ctx().progress, ctx().syncMode, ctx().config?.host], [0, null, null, 'full', 'other']);
  effects.length = 0;
  actor.send({ type: 'APPLY', at: 1002, config: { ...CONFIG, host: 'other', alarmPartitions: [] }, reconnect: false, overwritePartitions: false });
  t.equal(detail(), '{"connecting":"dialing"}', 'settings only: same state');
  t.strictSame(effects, ['partitions  overwrite false'], 'no dial, no hang-up');
  t.strictSame(ctx().config?.alarmPartitions, []);
  actor.stop();
});

void t.test('events that do not apply in a state change nothing', async (t) => {
  const { actor, ctx, detail } = machine();
  actor.send({ type: 'CONNECTED', at: 1 });
  actor.send({ type: 'MANUAL_SYNC', at: 1 });
  t.equal(detail(), '"unconfigured"');
  actor.send({ type: 'APPLY', at: 0, config: CONFIG, reconnect: false, overwritePartitions: false });
  actor.send({ type: 'MANUAL_SYNC', at: 2 });
  actor.send({ type: 'SYNC_DONE', at: 2, counts: {} });
  t.equal(detail(), '{"connecting":"dialing"}');
  t.equal(ctx().lastSync, null);
  actor.stop();
});

void t.test('sync progress: per type, rate in entities per second, ETA once something is done', async (t) => {
  const p0 = beginProgress('full', 1000, { units: 4, doorsets: 6 });
  t.strictSame(p0, { mode: 'full', startedAt: 1000, perType: { units: { done: 0, total: 4 }, doorsets: { done: 0, total: 6 } }, done: 0, total: 10, rate: 0, etaMs: null });
  const p1 = advanceProgress(p0, 'units', 2, 1000);
  t.strictSame(p1, { ...p0, perType: { units: { done: 2, total: 4 }, doorsets: { done: 0, total: 6 } }, done: 2, rate: 2000, etaMs: 4 }, 'elapsed counted as at least 1 ms');
  const p2 = advanceProgress(p1, 'cardholders', 3, 2000);
  t.strictSame(p2.perType.cardholders, { done: 3, total: 0 }, 'a type without a total');
  t.equal(p2.rate, 5);
  t.equal(p2.etaMs, 1000);
  const p3 = advanceProgress(p2, 'doorsets', 10, 3000);
  t.equal(p3.etaMs, 0, 'never negative');
  t.equal(advanceProgress(p0, 'units', 0, 1500).etaMs, null, 'nothing done: no ETA');
  t.equal(p0.done, 0, 'the previous progress is not changed');
});

void t.test('back-off: capped, jitter within its bound and seeded, at least 1 ms', async (t) => {
  t.equal(backoffDelay(0, { ...POLICY }), 100);
  t.equal(backoffDelay(4, { ...POLICY }), 1000, 'capped');
  t.equal(backoffDelay(40, { ...POLICY }), 1000, 'a huge attempt stays capped');
  t.equal(backoffDelay(0, { ...POLICY, baseMs: 0 }), 1, 'at least 1 ms');
  const j = { baseMs: 1000, maxMs: 100_000, jitter: 0.5, seed: 7 };
  const ds = Array.from({ length: 20 }, (_, a) => backoffDelay(0, { ...j, seed: a }));
  t.ok(ds.every((d) => d >= 500 && d <= 1500), 'within +-50%');
  t.ok(new Set(ds).size > 10, 'seeds give different jitter');
  t.ok(ds.some((d) => d < 1000) && ds.some((d) => d > 1000), 'both ways');
  t.equal(backoffDelay(3, j), backoffDelay(3, j), 'replays');
  t.not(backoffDelay(0, j), backoffDelay(1, j) / 2, 'the jitter depends on the attempt');
  t.ok(backoffDelay(10, { ...j, maxMs: 1200 }) <= 1200, 'jitter never goes past the cap');
});
