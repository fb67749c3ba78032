// The plugin role's public surface around the wire (issue 13): the snapshot fields each state
// sets, the Config Tool lifecycle (deactivate, activate, restart, delete), refusals and their
// words, credential sync switched while connected, the notices users see, live changes and events.
// In memory against a hand-driven peer (test/helpers/scriptedPeer.ts), one simulated clock.
import t, { type Test } from 'tap';
import { TestbenchError } from '../../../core/testbenchError.js';
import type { RoleNotice } from '../../../plugin/pluginRole.js';
import { versionProblem } from '../../../plugin/pluginRole.js';
import type { SiPassRecord, SiPassType } from '../../../protocol/sipassTypes.js';
import { ScriptedPeer } from '../../helpers/scriptedPeer.js';

const UNIT: [SiPassType, SiPassRecord] = ['units', { id: 'UN-1', name: 'Unit 1', address: 1 }];
const CH: [SiPassType, SiPassRecord] = ['cardholders', { id: 'CH-1', name: 'Ann', lastName: 'Ann', 'custom:Shoe size': 43 }];
const CRED: [SiPassType, SiPassRecord] = ['credentials', { id: 'CR-1', name: 'Card 1', cardholderId: 'CH-1' }];

function notices(p: ScriptedPeer): RoleNotice[] {
  const out: RoleNotice[] = [];
  p.role.on('notice', (n: RoleNotice) => out.push(n));
  return out;
}

const code = (t: Test, fn: () => unknown, c: string, message: string): void => {
  const e = t.throws(fn) as TestbenchError;
  t.ok(e instanceof TestbenchError);
  t.equal(e.code, c);
  t.equal(e.message, message);
};

void t.test('the snapshot through connecting, syncing and ready: each state sets its fields', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  const n = notices(p);
  const s0 = p.role.snapshot();
  t.strictSame(
    { state: s0.state, detail: s0.detail, config: s0.config, attempt: s0.attempt, lastError: s0.lastError, nextRetryAt: s0.nextRetryAt, progress: s0.progress, lastSync: s0.lastSync, connectedTo: s0.connectedTo, serverDigest: s0.serverDigest, lastSeq: s0.lastSeq, pendingScAcks: s0.pendingScAcks, framesIn: s0.framesIn, bytesIn: s0.bytesIn },
    { state: 'unconfigured', detail: 'unconfigured', config: null, attempt: 0, lastError: null, nextRetryAt: null, progress: null, lastSync: null, connectedTo: null, serverDigest: null, lastSeq: 0, pendingScAcks: 0, framesIn: 0, bytesIn: 0 },
  );
  p.autoConnect = false;
  p.role.apply({ host: '::1', port: 5645 });
  await p.settle();
  const s1 = p.role.snapshot();
  t.equal(s1.detail, 'connecting.dialing');
  t.equal(s1.connectedTo, null, 'not connected while dialing');
  t.strictSame(n[0], { kind: 'state', state: 'connecting', detail: 'connecting.dialing', at: 0, error: null });
  // The connect timeout (5 s): a failed attempt, a back-off with its retry time.
  await p.advance(5_000);
  const s2 = p.role.snapshot();
  t.equal(s2.detail, 'connecting.backoff');
  t.equal(s2.attempt, 1);
  t.equal(s2.lastError?.code, 'ROLE_CONNECT_TIMEOUT');
  t.equal(s2.lastError?.message, 'connection to [::1]:5645 timed out after 5s: the port may be blocked');
  t.ok(s2.nextRetryAt !== null && s2.nextRetryAt > 5_000, 'the next retry is in the future');
  t.strictSame(p.role.backoffHistory(), [(s2.nextRetryAt ?? 0) - 5_000], 'the back-off waited is recorded');
  t.equal(s2.health, 'error');
  t.strictSame(n.filter((x) => x.kind === 'error').map((x) => (x as { error: { code: string } }).error.code), ['ROLE_CONNECT_TIMEOUT']);
  p.autoConnect = true;
  await p.advance((s2.nextRetryAt ?? 0) - 5_000);
  t.equal(p.role.snapshot().detail, 'connecting.dialing', 'dialing again when the back-off ends');
  await p.send({ t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e', seq: 0 });
  const s3 = p.role.snapshot();
  t.equal(s3.state, 'syncing');
  t.equal(s3.connectedTo, '[::1]:5645', 'an IPv6 endpoint in brackets');
  t.equal(s3.nextRetryAt, null, 'no retry time once connected');
  t.equal(s3.attempt, 1, 'attempts count until ready');
  t.equal(p.role.connections, 1);
  t.ok(s3.framesIn >= 1 && s3.bytesIn > 0);
  t.strictSame(p.sent('syncRequest'), [{ t: 'syncRequest', id: 1, mode: 'full', types: ['alarmClasses', 'cardholders', 'workgroups', 'doorsets', 'banks', 'apbAreas', 'areas', 'units', 'eventTypes'] }], 'no credentials while credential sync is off');
  p.clock.advanceBy(1000);
  await p.fullSync([UNIT, CH]);
  const s4 = p.role.snapshot();
  t.equal(s4.state, 'ready');
  t.equal(s4.attempt, 0, 'ready resets the attempts');
  t.strictSame(s4.lastSync, { mode: 'full', startedAt: (s2.nextRetryAt ?? 0) + 1000, endedAt: (s2.nextRetryAt ?? 0) + 1000, counts: { units: 1, cardholders: 1 } });
  t.equal(s4.serverDigest, s4.digest);
  t.equal(s4.counts.accessControlUnit, 1);
  t.equal(s4.counts.cardholder, 1);
  t.strictSame([...p.sc.customFields], ['Shoe size'], 'R14: a custom field is created from the cardholder');
  const done = n.find((x) => x.kind === 'syncDone');
  t.strictSame(done, { kind: 'syncDone', at: s4.lastSync?.endedAt, ms: 0, total: 2 });
  t.strictSame(
    n.filter((x) => x.kind === 'state').map((x) => (x as { detail: string }).detail),
    ['connecting.dialing', 'syncing', 'ready'],
    'a notice per visible state change only',
  );
});

void t.test('a manual sync: mode, progress per type, and the refusals when not ready', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  code(t, () => p.role.manualSync(), 'ROLE_NOT_READY', 'manual sync needs the role "SiPass plugin" to be ready (it is unconfigured)');
  await p.connect();
  code(t, () => p.role.manualSync(), 'ROLE_NOT_READY', 'manual sync needs the role "SiPass plugin" to be ready (it is syncing)');
  await p.fullSync([UNIT]);
  p.role.manualSync();
  await p.settle();
  const req = p.sent('syncRequest').at(-1);
  t.strictSame(req?.mode, 'manual');
  t.equal(req?.id, 2);
  t.equal(p.role.snapshot().progress, null, 'no progress before syncBegin');
  await p.send({ t: 'syncBegin', id: 2, totals: { units: 2, doorsets: 1 } });
  t.strictSame(p.role.snapshot().progress, { mode: 'manual', startedAt: 0, perType: { units: { done: 0, total: 2 }, doorsets: { done: 0, total: 1 } }, done: 0, total: 3, rate: 0, etaMs: null });
  p.clock.advanceBy(2000);
  await p.send({ t: 'batch', id: 2, type: 'units', items: [UNIT[1]] });
  t.strictSame(p.role.snapshot().progress, { mode: 'manual', startedAt: 0, perType: { units: { done: 1, total: 2 }, doorsets: { done: 0, total: 1 } }, done: 1, total: 3, rate: 0.5, etaMs: 4000 });
  const n = notices(p);
  await p.send({ t: 'syncEnd', id: 2, counts: { units: 1 }, digest: 'not-ours' });
  t.equal(p.role.snapshot().lastSync?.mode, 'manual');
  t.equal(p.role.snapshot().lastSync?.startedAt, 0);
  t.equal(p.role.snapshot().serverDigest, 'not-ours');
  const mismatch = n.find((x) => x.kind === 'error') as { error: { code: string; message: string } } | undefined;
  t.equal(mismatch?.error.code, 'SYNC_DIGEST_MISMATCH');
  t.equal(mismatch?.error.message, `after the full sync Security Center holds digest ${p.role.snapshot().digest} but the SiPass server sent not-ours`);
  t.strictSame(n.find((x) => x.kind === 'syncDone'), { kind: 'syncDone', at: 2000, ms: 2000, total: 1 });
});

void t.test('credential sync switched while connected: a full sync with credentials at once, or after the running one', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  await p.connect();
  await p.fullSync([CH]);
  p.role.apply({ credentialSync: true });
  await p.settle();
  t.equal(p.connections.length, 1, 'no reconnect');
  const req = p.sent('syncRequest').at(-1);
  t.ok(req?.types.includes('credentials'), 'credentials requested');
  t.equal(req?.mode, 'manual');
  p.role.apply({ credentialSync: false });
  await p.settle();
  t.equal(p.sent('syncRequest').length, 2, 'switched again while syncing: no second request yet');
  await p.fullSync([CH, CRED]);
  const again = p.sent('syncRequest').at(-1);
  t.equal(p.sent('syncRequest').length, 3, 'a sync again once the running one ends');
  t.notOk(again?.types.includes('credentials'));
  t.equal(p.role.state, 'syncing');
  await p.fullSync([CH]);
  t.equal(p.role.state, 'ready');
  t.equal(p.sent('syncRequest').length, 3, 'and only once');
  p.role.apply({ alarmRecipients: [] });
  await p.settle();
  t.equal(p.sent('syncRequest').length, 3, 'recipients only: no sync');
});

void t.test('a pending resync is dropped by a reconnect (its welcome starts a full sync anyway)', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  await p.connect();
  p.role.apply({ credentialSync: true });
  await p.reconnect();
  await p.fullSync([CH]);
  t.equal(p.role.state, 'ready', 'no extra sync after the first one of the new connection');
  t.equal(p.sent('syncRequest').length, 1);
  t.ok(p.sent('syncRequest')[0]?.types.includes('credentials'), 'the new connection already asks with the new switch');
});

void t.test('deactivate, activate, restart, delete (Config Tool): what runs and what stays', async (t) => {
  const p = new ScriptedPeer();
  await p.connect();
  await p.fullSync([UNIT]);
  const n = notices(p);
  p.role.deactivate();
  await p.settle();
  t.notOk(p.role.active);
  t.equal(p.role.state, 'unconfigured', 'shows as not configured');
  t.ok(p.connections[0]?.roleEnd.destroyed, 'its connection closed');
  t.strictSame(n.at(-1), { kind: 'state', state: 'unconfigured', detail: 'deactivated', at: 0, error: null });
  t.equal(p.role.config?.host, '127.0.0.1', 'the Properties tab is kept');
  t.equal(p.role.snapshot().counts.accessControlUnit, 1, 'its entities stay');
  code(t, () => p.role.apply({ port: 1 }), 'ROLE_DEACTIVATED', 'role "SiPass plugin" is deactivated: activate it first');
  code(t, () => p.role.manualSync(), 'ROLE_NOT_READY', 'manual sync needs the role "SiPass plugin" to be ready (it is deactivated)');
  const count = n.length;
  p.role.deactivate();
  t.equal(n.length, count, 'deactivating twice does nothing');
  p.role.activate();
  await p.settle();
  t.ok(p.role.active);
  t.equal(p.connections.length, 2, 'dials again with the saved Properties');
  t.strictSame(p.sent('hello')[0], { t: 'hello', v: 1, roleId: 'role-peer', roleName: 'SiPass plugin', epoch: '', lastSeq: 0, batchEncodings: ['packed'] }, 'a fresh role process: no epoch, no sequence');
  p.role.activate();
  await p.settle();
  t.equal(p.connections.length, 2, 'activating an active role does nothing');
  await p.send({ t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e2', seq: 7 });
  await p.fullSync([UNIT]);
  t.equal(p.role.snapshot().lastSeq, 7);
  p.role.restart();
  await p.settle();
  t.equal(p.connections.length, 3, 'restart: a new connection');
  t.equal(p.role.snapshot().lastSeq, 0);
  t.ok(p.sc.hasRole('SiPass plugin'));
  p.sc.deleteRole('SiPass plugin');
  await p.settle();
  t.ok(p.connections[2]?.roleEnd.destroyed, 'deleted: its connection closed');
  t.equal(p.role.snapshot().counts.accessControlUnit, 0, 'deleted: its entities left');
  code(t, () => p.role.apply({ port: 1 }), 'ROLE_STOPPED', 'role "SiPass plugin" is stopped');
  p.role.activate();
  p.role.deactivate();
  await p.settle();
  t.equal(p.connections.length, 3, 'a stopped role neither activates nor deactivates');
});

void t.test('waitFor resolves on the state, or rejects after its time naming the last error', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  const now = await p.role.waitFor('unconfigured');
  t.equal(now.state, 'unconfigured', 'already there');
  p.autoConnect = false;
  p.role.apply({ host: '127.0.0.1' });
  const outcome = (w: Promise<unknown>): Promise<unknown> => w.then(() => null, (x: unknown) => x);
  const ready = p.role.waitFor('syncing', 100_000);
  const never = outcome(p.role.waitFor('ready', 6_000));
  await p.advance(5_000);
  await p.advance(1_000);
  const e = (await never) as TestbenchError;
  t.equal(e.code, 'ROLE_WAIT_TIMEOUT');
  t.equal(e.message, 'role "SiPass plugin" not ready after 6000ms (it is connecting; last error ROLE_CONNECT_TIMEOUT: connection to 127.0.0.1:5645 timed out after 5s: the port may be blocked)');
  t.strictSame(e.details, { state: 'connecting', lastError: p.role.snapshot().lastError });
  t.equal(p.role.snapshot().detail, 'connecting.dialing', 'dialing again (the peer has not answered)');
  p.current.roleEnd.emit('connect');
  await p.settle();
  await p.send({ t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e', seq: 0 });
  t.equal((await ready).state, 'syncing');
  const quiet = new ScriptedPeer();
  const listeners = quiet.role.listenerCount('notice');
  const w = outcome(quiet.role.waitFor('ready', 10));
  quiet.clock.advanceBy(10);
  const e2 = (await w) as TestbenchError;
  t.equal(e2.message, 'role "SiPass plugin" not ready after 10ms (it is unconfigured)');
  // break: the timeout does not remove its listener -> every timed-out wait leaves one behind
  t.equal(quiet.role.listenerCount('notice'), listeners, 'a wait that timed out leaves no listener behind');
  quiet.stop();
});

void t.test('live changes (update, delete), errors from the server, events firing event-to-actions, SC acks of unknown occurrences', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  p.sc.directory.addUser('alice');
  p.sc.directory.grant('alice', 'blockDoors');
  await p.connect();
  await p.fullSync([UNIT, ['doorsets', { id: 'DS-1', name: 'Front' }], ['eventTypes', { id: 'ET-1', name: 'Door forced' }]]);
  const n = notices(p);
  await p.send({ t: 'change', seq: 1, op: 'update', type: 'units', id: 'UN-2', entity: { id: 'UN-2', name: 'Unit 2', address: 2 } });
  t.equal(p.role.snapshot().counts.accessControlUnit, 2, 'a live create');
  await p.send({ t: 'change', seq: 2, op: 'delete', type: 'units', id: 'UN-1' });
  t.equal(p.role.entities.record('units', 'UN-1'), undefined, 'a live delete');
  await p.send({ t: 'error', code: 'SRV_BUSY', message: 'try later', fatal: false });
  t.strictSame(n.at(-1), { kind: 'error', error: { code: 'SRV_BUSY', message: 'try later', at: 0 } });
  t.equal(p.role.state, 'ready', 'a non-fatal error keeps the connection');

  p.role.addEventToAction({ event: 'Door forced', order: { operator: 'alice', entity: { type: 'door', id: 'DS-1' }, action: 'block' } });
  await p.send({ t: 'event', seq: 3, eventId: 'E1', eventTypeId: 'ET-1', at: 0, source: 'Front', sourceType: 'doorsets', sourceId: 'DS-1' });
  t.strictSame(n.find((x) => x.kind === 'event'), { kind: 'event', name: 'Door forced', native: null });
  t.equal(p.sc.events.list()[0]?.sourceEntity?.name, 'Front');
  const cmd = p.sent('command')[0];
  t.strictSame(cmd, { t: 'command', requestId: 'role-peer-cmd-1', entityType: 'doorsets', entityId: 'DS-1', action: 'block', operator: 'alice' }, 'the event-to-action ran');
  const entry = p.role.runCommand({ operator: 'alice', entity: { type: 'door', id: 'DS-1' }, action: 'unblock' });
  await p.settle();
  t.equal(p.sent('command').length, 2);
  await p.send({ t: 'commandResult', requestId: 'role-peer-cmd-2', ok: true });
  t.equal(entry.result, 'executed', 'the answer reaches the desk');
  p.role.runCommand({ operator: 'alice', entity: { type: 'door', id: 'DS-1' }, action: 'block' });
  await p.hangUp();
  t.equal(p.sc.commands.list().at(-1)?.result, 'failed', 'a command left unanswered by a dropped connection failed');
  code(t, () => p.role.acknowledgeAlarm('nope', 'alice'), 'SC_NO_SUCH_OCCURRENCE', 'no alarm occurrence "nope" in the alarm monitor');
});

void t.test('R15: the proxy SDK must match Security Center (major.minor); a refused welcome names both', async (t) => {
  t.equal(versionProblem(undefined, '5.12'), null);
  t.equal(versionProblem('5.12.3', ' 5.12'), null);
  t.equal(versionProblem(' 5.12 ', '5.12.9'), null);
  t.strictSame(versionProblem('5.13', '5.12'), { code: 'ROLE_VERSION_INCOMPATIBLE', message: 'version incompatibility: SiPass proxy SDK 5.13, Security Center 5.12 (they must be the same version)' });
  t.notSame(versionProblem('5.1', '5.12'), null, 'minor compared whole');
  t.notSame(versionProblem('6.12', '5.12'), null);
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  p.role.apply({ host: '127.0.0.1' });
  await p.settle();
  await p.send({ t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e', seq: 0, sdk: '4.0' });
  t.equal(p.role.snapshot().lastError?.code, 'ROLE_VERSION_INCOMPATIBLE');
  t.equal(p.role.state, 'connecting');
});

void t.test(
  'R6: a new host or port applied while waiting to retry is dialled at once, not after the back-off ' +
    "(break: APPLY keeps the attempt count -> attempt 1; `reenter: false` on that transition passes: xstate exits and enters the targeted child either way)",
  async (t) => {
    const p = new ScriptedPeer();
    t.teardown(() => p.stop());
    p.autoConnect = false;
    p.role.apply({ host: '127.0.0.1', port: 5645 });
    await p.settle();
    await p.advance(5_000);
    t.equal(p.role.snapshot().detail, 'connecting.backoff', 'the connect timed out: waiting to retry');
    const dialled = p.connections.length;
    p.role.apply({ port: 5646 });
    await p.settle();
    t.equal(p.connections.length, dialled + 1, 'the new port is dialled without waiting');
    t.equal(p.role.snapshot().detail, 'connecting.dialing');
    t.equal(p.role.snapshot().attempt, 0, 'a new endpoint starts its attempts again');
  },
);
