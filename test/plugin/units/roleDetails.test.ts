// The plugin role's details the first mutation run of pluginRole.ts left unchecked (issue 13):
// each test names what it catches. In memory against a hand-driven peer; a promise that must
// settle is raced against a bounded number of event-loop turns (never left to hang).
import { PassThrough } from 'node:stream';
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import type { RoleNotice } from '../../../plugin/pluginRole.js';
import { createPluginRole } from '../../../plugin/createPluginRole.js';
import { versionProblem } from '../../../plugin/pluginRole.js';
import { SecurityCenter } from '../../../plugin/securitycenter/securityCenter.js';
import type { SiPassRecord, SiPassType } from '../../../protocol/sipassTypes.js';
import { ScriptedPeer } from '../../helpers/scriptedPeer.js';

const AC: [SiPassType, SiPassRecord] = ['alarmClasses', { id: 'AC-1', name: 'Door forced', priority: 1 }];
const UNIT: [SiPassType, SiPassRecord] = ['units', { id: 'UN-1', name: 'Unit 1', address: 1 }];
const ET: [SiPassType, SiPassRecord] = ['eventTypes', { id: 'ET-1', name: 'Door held' }];

/** true when `p` settles within `turns` event-loop turns of the peer. */
async function settles(peer: ScriptedPeer, p: Promise<unknown>, turns = 20): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await peer.settle(turns);
  return done;
}

function notices(p: ScriptedPeer): RoleNotice[] {
  const out: RoleNotice[] = [];
  p.role.on('notice', (n: RoleNotice) => out.push(n));
  return out;
}

void t.test('a role without a role id is known as role-<name> (hello, SC acknowledgement ids)', async (t) => {
  const p = new ScriptedPeer({ roleId: undefined });
  t.teardown(() => p.stop());
  p.sc.directory.addUser('alice');
  await p.connect();
  t.equal(p.sent('hello')[0]?.roleId, 'role-SiPass plugin');
  await p.fullSync([AC]);
  await p.send({ t: 'alarm', seq: 1, occurrenceId: 'O1', alarmClassId: 'AC-1', at: 0 });
  p.role.acknowledgeAlarm('O1', 'alice');
  await p.settle();
  t.equal(p.sent('scAck')[0]?.requestId, 'role-SiPass plugin-ack-1');
});

void t.test('a live alarm triggers its synchronized alarm entity and notifies; SiPass acknowledgements are kept', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  p.sc.directory.addUser('alice');
  p.role.apply({ host: '127.0.0.1', alarmRecipients: ['alice'] });
  await p.connect();
  await p.fullSync([AC]);
  const n = notices(p);
  await p.send({ t: 'alarm', seq: 1, occurrenceId: 'O1', alarmClassId: 'AC-1', at: 0 });
  const e = p.sc.monitor.forOccurrence('O1')[0];
  t.equal(e?.alarmName, 'Door forced', 'the synchronized alarm entity (not "unmapped")');
  t.equal(e?.alarmId, p.sc.alarms.find('AC-1')?.id);
  t.strictSame(e?.notified, ['alice']);
  t.strictSame(n, [{ kind: 'alarm', occurrenceId: 'O1', alarmName: 'Door forced', notified: ['alice'], retrigger: false }]);
  await p.send({ t: 'alarmAck', seq: 2, occurrenceId: 'O1', by: 'bob' });
  t.strictSame(p.sc.monitor.forOccurrence('O1')[0]?.acknowledged, { by: 'bob', from: 'sipass', at: 0 }, 'a SiPass acknowledgement is applied');
  t.equal(p.role.acknowledgeAlarm('O1', 'alice'), false, 'and an SC acknowledgement after it is not sent');
  await p.send({ t: 'alarmClear', seq: 3, occurrenceId: 'O1' });
  t.equal(p.role.snapshot().lastSeq, 3);
});

void t.test('an event takes the name of its SC custom event, as renamed by an operator', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  await p.connect();
  await p.fullSync([ET]);
  const ce = p.role.entities.customEventFor('ET-1');
  t.ok(ce, 'the sync created the custom event');
  if (ce) p.sc.editEntity(ce, { name: 'Door held open (renamed)' });
  await p.send({ t: 'event', seq: 1, eventId: 'E1', eventTypeId: 'ET-1', at: 0, source: 's' });
  t.equal(p.sc.events.list()[0]?.name, 'Door held open (renamed)');
});

void t.test('R5 through the role: partitions reconciled at Apply and at every sync; an unchanged set keeps operator partitions', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  p.sc.directory.addPartition('HQ');
  p.sc.directory.addPartition('Lab');
  p.sc.directory.addPartition('Ops');
  p.role.apply({ host: '127.0.0.1', alarmPartitions: ['HQ', 'Lab'] });
  await p.connect();
  await p.fullSync([AC]);
  const alarm = p.sc.alarms.find('AC-1');
  t.strictSame(alarm?.partitions, ['HQ', 'Lab']);
  p.sc.addAlarmPartition('AC-1', 'Ops');
  p.role.apply({ alarmPartitions: ['Lab', 'HQ'] });
  t.strictSame(p.sc.alarms.find('AC-1')?.partitions, ['HQ', 'Lab', 'Ops'], 'the same set in another order: operator partitions stay');
  p.role.manualSync();
  await p.settle();
  await p.fullSync([AC]);
  t.strictSame(p.sc.alarms.find('AC-1')?.partitions, ['HQ', 'Lab', 'Ops'], 'a sync adds missing partitions, never removes');
  p.sc.removeAlarmPartition('AC-1', 'Lab');
  p.role.apply({ alarmRecipients: [] });
  t.strictSame(p.sc.alarms.find('AC-1')?.partitions, ['HQ', 'Ops', 'Lab'], 'any Apply reconciles: a configured partition comes back');
  p.role.apply({ alarmPartitions: ['HQ'] });
  t.strictSame(p.sc.alarms.find('AC-1')?.partitions, ['HQ'], 'a changed set: exactly the new set');
  t.equal(p.connections.length, 1, 'partitions never reconnect');
});

void t.test('a host change alone reconnects; the back-off policy given to the role is the one it waits', async (t) => {
  const p = new ScriptedPeer({ backoff: { baseMs: 100, jitter: 0, maxMs: 1000 } });
  t.teardown(() => p.stop());
  await p.connect();
  p.role.apply({ host: 'localhost' });
  await p.settle();
  t.equal(p.connections.length, 2, 'same port, another host: a new connection');
  await p.hangUp();
  t.equal(p.role.snapshot().nextRetryAt, 100, 'the first retry after baseMs');
  t.strictSame(p.role.backoffHistory(), [100]);
});

void t.test('activating a role deactivated before any Apply leaves it unconfigured (nothing to apply)', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  p.role.deactivate();
  t.doesNotThrow(() => p.role.activate());
  t.equal(p.role.state, 'unconfigured');
  t.equal(p.connections.length, 0);
});

void t.test('waitFor resolves only on its own state and leaves no listener behind; snapshot events on every change', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  const before = p.role.listenerCount('notice');
  let snapshots = 0;
  p.role.on('snapshot', () => snapshots++);
  const ready = p.role.waitFor('ready', 1_000_000);
  t.equal(p.role.listenerCount('notice'), before + 1);
  await p.connect();
  t.ok(snapshots > 0, 'snapshot events while connecting and syncing');
  t.notOk(await settles(p, ready), 'not resolved by syncing');
  await p.fullSync([UNIT]);
  t.ok(await settles(p, ready), 'resolved by ready');
  t.equal((await ready).state, 'ready');
  t.equal(p.role.listenerCount('notice'), before, 'its listener removed');
  t.equal(p.role.snapshot().connectedTo, '127.0.0.1:5645', 'ready shows where it is connected');
});

void t.test('strays after a sync ended (a batch, an end) are ignored; a matching digest raises no error; the sync time is measured', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  await p.connect();
  p.clock.advanceBy(500);
  const n = notices(p);
  const id = p.sent('syncRequest')[0]?.id ?? 0;
  await p.send({ t: 'syncBegin', id, totals: { units: 1 } });
  p.clock.advanceBy(250);
  await p.send({ t: 'batch', id, type: 'units', items: [UNIT[1]] });
  await p.send({ t: 'syncEnd', id, counts: { units: 1 }, digest: p.role.snapshot().digest });
  t.strictSame(n.find((x) => x.kind === 'syncDone'), { kind: 'syncDone', at: 750, ms: 250, total: 1 });
  t.equal(n.filter((x) => x.kind === 'error').length, 0, 'no digest mismatch reported');
  await p.send({ t: 'batch', id, type: 'units', items: [{ id: 'UN-9', name: 'late', address: 9 }] });
  await p.send({ t: 'syncEnd', id, counts: { units: 1 }, digest: 'x' });
  t.equal(p.role.state, 'ready');
  t.equal(p.role.entities.record('units', 'UN-9'), undefined, 'a batch after the end is ignored');
  t.equal(p.role.snapshot().serverDigest, p.role.snapshot().digest, 'an end after the end is ignored');
});

void t.test('R14: only cardholders create SC custom fields', async (t) => {
  const p = new ScriptedPeer();
  t.teardown(() => p.stop());
  await p.connect();
  await p.fullSync([['units', { id: 'UN-1', name: 'U', address: 1, 'custom:Rack': 'A' }], ['cardholders', { id: 'CH-1', name: 'Ann', 'custom:Shoe': 1 }]]);
  t.strictSame([...p.sc.customFields], ['Shoe']);
});

void t.test('TEST-ONLY fault injection shareRecipientList: new alarm entities alias the role list (R4 broken on purpose)', async (t) => {
  for (const inject of [true, false]) {
    const p = new ScriptedPeer(inject ? { faultInjection: { shareRecipientList: true } } : {});
    p.sc.directory.addUser('alice');
    p.sc.directory.addUser('bob');
    p.sc.directory.addUser('carol');
    p.role.apply({ host: '127.0.0.1', alarmRecipients: ['alice'] });
    await p.connect();
    await p.fullSync([AC, UNIT]);
    p.role.apply({ alarmRecipients: ['bob'] });
    t.strictSame(p.sc.alarms.find('AC-1')?.recipients, inject ? ['bob'] : ['alice'], inject ? 'aliased: follows the Apply' : 'a copy: unchanged');
    p.role.manualSync();
    await p.settle();
    await p.fullSync([AC, ['alarmClasses', { id: 'AC-2', name: 'Second', priority: 1 }]]);
    p.role.apply({ alarmRecipients: ['alice', 'bob'] });
    t.strictSame(p.sc.alarms.find('AC-1')?.recipients, inject ? ['alice', 'bob'] : ['alice'], 'an existing alarm entity is not re-aliased by a later sync');
    t.strictSame(p.sc.alarms.find('AC-2')?.recipients, inject ? ['alice', 'bob'] : ['bob']);
    // Only a *new* alarm entity aliases the list (breaks: alias on an update too, or on a new entity
    // of another type with the same id -> AC-1, given its own list by an operator, follows again).
    p.sc.alarms.removeRecipient('AC-1', 'nobody');
    p.role.manualSync();
    await p.settle();
    await p.fullSync([['alarmClasses', { id: 'AC-1', name: 'Door forced (renamed)', priority: 2 }], ['units', { id: 'AC-1', name: 'A unit whose id is AC-1', address: 3 }]]);
    p.role.apply({ alarmRecipients: ['carol'] });
    t.strictSame(p.sc.alarms.find('AC-1')?.recipients, inject ? ['alice', 'bob'] : ['alice'], 'an updated alarm entity keeps its own list');
    p.stop();
  }
});

void t.test('the back-off history keeps the last 1,000 intervals', async (t) => {
  const sc = new SecurityCenter();
  const clock = new SimulatedClock(0);
  const role = createPluginRole(sc, 'R', {
    clock,
    backoff: { baseMs: 1, maxMs: 1, jitter: 0 },
    // Every dial refused (asynchronously, as a socket reports it).
    connector: () => {
      const s = new PassThrough();
      process.nextTick(() => s.emit('error', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
      return s;
    },
  });
  t.teardown(() => role.stop());
  role.apply({ host: '127.0.0.1' });
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
  await tick();
  for (let i = 0; i < 1004; i++) {
    clock.advanceToNext();
    await tick();
  }
  t.equal(role.snapshot().lastError?.code, 'ROLE_CONNECT_REFUSED');
  t.equal(role.snapshot().attempt, 1005);
  t.equal(role.backoffHistory().length, 1000, 'bounded');
});

void t.test('R15 versions: major and minor compared as numbers written with a dot', async (t) => {
  t.notSame(versionProblem('51.2', '5.12'), null);
  t.equal(versionProblem('5.12', '5.12.1'), null);
});
