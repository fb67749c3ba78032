// What the plugin role puts on the wire and keeps, against a hand-driven peer (issue 13). Each
// test names the break it catches: the code was changed that way once and the test failed
// (docs/testing.md keeps the table). Public behaviour only: frames on the wire and snapshots.
import t from 'tap';
import type { SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';
import { ScriptedPeer } from '../helpers/scriptedPeer.js';

const UNIT = (name: string): SiPassRecord => ({ id: 'UN-1', name, address: 1 });
const ALARM_CLASS: [SiPassType, SiPassRecord] = ['alarmClasses', { id: 'AC-1', name: 'Door forced', priority: 1 }];

async function readyPeer(records: Array<[SiPassType, SiPassRecord]> = [['units', UNIT('Unit 1')]]): Promise<ScriptedPeer> {
  const p = new ScriptedPeer();
  await p.connect();
  await p.fullSync(records);
  if (p.role.state !== 'ready') throw new Error(`not ready: ${p.role.state}`);
  return p;
}

void t.test(
  'live messages are acknowledged once per chunk, with the highest contiguous sequence number ' +
    '(breaks: never flush the ack -> no ack; ack when lastSeq >= acked -> an ack after a chunk with nothing new)',
  async (t) => {
    const p = await readyPeer();
    t.teardown(() => p.stop());
    t.strictSame(p.sent('ack'), [], 'nothing to acknowledge after the full sync');
    await p.send(
      { t: 'alarmClear', seq: 1, occurrenceId: 'o1' },
      { t: 'alarmClear', seq: 2, occurrenceId: 'o2' },
      { t: 'alarmClear', seq: 3, occurrenceId: 'o3' },
    );
    t.strictSame(p.sent('ack'), [{ t: 'ack', seq: 3 }], 'one ack for a chunk of three');
    await p.send({ t: 'ping', n: 1 });
    t.strictSame(p.sent('ack'), [{ t: 'ack', seq: 3 }], 'no ack after a chunk without live messages');
    await p.send({ t: 'alarmClear', seq: 2, occurrenceId: 'o2' }, { t: 'alarmClear', seq: 3, occurrenceId: 'o3' });
    t.equal(p.sent('ack').length, 1, 'no ack for repeats');
    await p.send({ t: 'alarmClear', seq: 5, occurrenceId: 'o5' });
    t.equal(p.sent('ack').length, 1, 'no ack while 4 is missing: the server must replay it');
    await p.send({ t: 'alarmClear', seq: 4, occurrenceId: 'o4' });
    t.strictSame(p.sent('ack').at(-1), { t: 'ack', seq: 5 }, 'the overtaken 4 fills the gap: ack 5');
    t.equal(p.role.snapshot().lastSeq, 5);
  },
);

void t.test(
  'after a reconnect the hello carries the epoch and last sequence, and acks start again on the new connection ' +
    '(break: keep the acknowledged mark across connections -> the new connection is never told seq 2)',
  async (t) => {
    const p = await readyPeer();
    t.teardown(() => p.stop());
    await p.send({ t: 'alarmClear', seq: 1, occurrenceId: 'o1' }, { t: 'alarmClear', seq: 2, occurrenceId: 'o2' });
    await p.reconnect('life-1', 2);
    t.strictSame(p.sent('hello')[0], { t: 'hello', v: 1, roleId: 'role-peer', roleName: 'SiPass plugin', epoch: 'life-1', lastSeq: 2, batchEncodings: ['packed'] });
    await p.fullSync([['units', UNIT('Unit 1')]]);
    await p.send({ t: 'alarmClear', seq: 2, occurrenceId: 'o2' }, { t: 'alarmClear', seq: 3, occurrenceId: 'o3' });
    t.strictSame(
      p.sent('ack'),
      [
        { t: 'ack', seq: 2 },
        { t: 'ack', seq: 3 },
      ],
      'the new connection is told the last sequence after the welcome; the replayed 2 is dropped, 3 acknowledged',
    );
  },
);

void t.test(
  'an SC acknowledgement is sent at once while syncing or ready, kept while disconnected, and sent once on reconnect ' +
    '(break: send only when ready -> an acknowledgement made during a full sync waits for the next reconnect)',
  async (t) => {
    const p = await readyPeer([ALARM_CLASS]);
    t.teardown(() => p.stop());
    await p.send({ t: 'activeAlarms', occurrences: [{ occurrenceId: 'O1', alarmClassId: 'AC-1', at: 0, acknowledged: false }] });
    await p.send({ t: 'alarm', seq: 1, occurrenceId: 'O2', alarmClassId: 'AC-1', at: 0 }, { t: 'alarm', seq: 2, occurrenceId: 'O3', alarmClassId: 'AC-1', at: 0 });
    t.ok(p.sc.monitor.has('O1') && p.sc.monitor.has('O2') && p.sc.monitor.has('O3'));

    // During a manual full sync (state syncing).
    p.role.manualSync();
    await p.settle();
    t.equal(p.role.state, 'syncing');
    p.role.acknowledgeAlarm('O1', 'alice');
    await p.settle();
    t.strictSame(p.sent('scAck'), [{ t: 'scAck', requestId: 'role-peer-ack-1', occurrenceId: 'O1', user: 'alice' }], 'sent during the sync, not held');
    t.equal(p.role.snapshot().pendingScAcks, 1, 'pending until SiPass confirms');
    await p.send({ t: 'scAckResult', requestId: 'role-peer-ack-1', ok: true });
    t.equal(p.role.snapshot().pendingScAcks, 0);
    await p.fullSync([ALARM_CLASS]);

    // While ready.
    p.role.acknowledgeAlarm('O2', 'bob');
    await p.settle();
    t.strictSame(p.sent('scAck').at(-1), { t: 'scAck', requestId: 'role-peer-ack-2', occurrenceId: 'O2', user: 'bob' }, 'sent at once while ready');

    // While disconnected: kept, then sent once on the next connection, with the unconfirmed one.
    await p.hangUp();
    t.equal(p.role.state, 'connecting');
    p.role.acknowledgeAlarm('O3', 'carol');
    t.equal(p.role.snapshot().pendingScAcks, 2);
    await p.reconnect();
    t.strictSame(
      p.sent('scAck').map((m) => m.requestId),
      ['role-peer-ack-2', 'role-peer-ack-3'],
      'both unconfirmed acknowledgements go out on the new connection, once each',
    );
    t.equal(p.role.state, 'syncing', 'and that is during the first full sync of the connection');
    const acks = p.sc.monitor.forOccurrence('O3');
    t.strictSame(acks[0]?.acknowledged?.by, 'carol', 'the monitor keeps who acknowledged');
  },
);

void t.test(
  'a new server epoch resets the per-entity change sequence: changes after a restart are not skipped as stale ' +
    '(break: keep the per-entity sequence across epochs -> the update with seq 1 of the new life is skipped)',
  async (t) => {
    const p = await readyPeer();
    t.teardown(() => p.stop());
    await p.send({ t: 'change', seq: 5, op: 'update', type: 'units', id: 'UN-1', entity: UNIT('Unit 1 v5') });
    t.equal(p.role.entities.record('units', 'UN-1')?.name, 'Unit 1 v5');
    t.equal(p.role.snapshot().lastSeq, 0, 'seq 5 with 1..4 missing: held ahead, not contiguous');
    await p.reconnect('life-2', 0);
    t.strictSame(p.sent('hello')[0]?.epoch, 'life-1', 'the hello names the old life');
    await p.fullSync([['units', UNIT('Unit 1 v5')]]);
    await p.send({ t: 'change', seq: 1, op: 'update', type: 'units', id: 'UN-1', entity: UNIT('Unit 1 after restart') });
    t.equal(p.role.entities.record('units', 'UN-1')?.name, 'Unit 1 after restart', 'the new life\'s seq 1 is applied');
    t.equal(p.role.snapshot().lastSeq, 1);
    await p.send({ t: 'change', seq: 3, op: 'update', type: 'units', id: 'UN-1', entity: UNIT('v3') }, { t: 'change', seq: 2, op: 'update', type: 'units', id: 'UN-1', entity: UNIT('v2') });
    t.equal(p.role.entities.record('units', 'UN-1')?.name, 'v3', 'within one life, a change overtaken by a later one is stale');
    // The sequence is per entity (break: one key for every entity -> UN-2's seq 4 is taken as older than UN-1's 5).
    await p.send({ t: 'change', seq: 5, op: 'update', type: 'units', id: 'UN-1', entity: UNIT('v5') }, { t: 'change', seq: 4, op: 'add', type: 'units', id: 'UN-2', entity: { id: 'UN-2', name: 'Unit 2', address: 2 } });
    t.equal(p.role.entities.record('units', 'UN-2')?.name, 'Unit 2', "a change overtaken by another entity's later change is not stale");
  },
);

void t.test(
  'batches of a stale or not-yet-begun sync are ignored, and so is the end of a stale sync ' +
    '(breaks: accept a batch before syncBegin, or a batch/syncEnd whose id is not the running sync\'s)',
  async (t) => {
    const p = new ScriptedPeer();
    t.teardown(() => p.stop());
    await p.connect();
    const id = p.sent('syncRequest')[0]?.id ?? -1;
    t.strictSame(p.sent('syncRequest')[0]?.mode, 'full');
    await p.send({ t: 'batch', id, type: 'units', items: [UNIT('early')] });
    t.equal(p.role.entities.record('units', 'UN-1'), undefined, 'a batch before syncBegin is ignored');
    await p.send({ t: 'syncBegin', id: id + 1, totals: { units: 1 } });
    await p.send({ t: 'batch', id: id + 1, type: 'units', items: [UNIT('other sync')] });
    t.equal(p.role.entities.record('units', 'UN-1'), undefined, 'a syncBegin and batch of another sync are ignored');
    t.equal(p.role.snapshot().progress, null, 'no progress from another sync');
    await p.send({ t: 'syncBegin', id, totals: { units: 1 } });
    await p.send({ t: 'batch', id: id - 1, type: 'units', items: [UNIT('stale')] });
    t.equal(p.role.entities.record('units', 'UN-1'), undefined, 'a stale batch is ignored');
    await p.send({ t: 'batch', id, type: 'units', items: [UNIT('Unit 1')] });
    t.equal(p.role.entities.record('units', 'UN-1')?.name, 'Unit 1');
    t.equal(p.role.snapshot().progress?.done, 1);
    await p.send({ t: 'syncEnd', id: id - 1, counts: { units: 1 }, digest: 'x' });
    t.equal(p.role.state, 'syncing', 'the end of a stale sync does not end this one');
    await p.send({ t: 'syncEnd', id, counts: { units: 1 }, digest: p.role.snapshot().digest });
    t.equal(p.role.state, 'ready');
    t.equal(p.role.snapshot().serverDigest, p.role.snapshot().digest);
  },
);

void t.test(
  'the old connection is closed when the role hangs up: a host/port Apply, and stop() ' +
    '(break: drop conn.close() from hangUp -> the old socket stays open)',
  async (t) => {
    const p = await readyPeer();
    p.role.apply({ port: 5646 });
    await p.settle();
    t.equal(p.connections.length, 2, 'a new connection for the new port');
    t.ok(p.connections[0]?.roleEnd.destroyed, 'the old one is closed');
    t.notOk(p.connections[1]?.roleEnd.destroyed);
    p.role.stop();
    await p.settle();
    t.ok(p.connections[1]?.roleEnd.destroyed, 'stop() closes the current one');
  },
);

void t.test(
  'byte totals in and out add up over every connection; health follows the state ' +
    '(breaks: forget a closed connection\'s bytes; health ok while syncing or error before any failure)',
  async (t) => {
    const p = new ScriptedPeer();
    t.teardown(() => p.stop());
    t.equal(p.role.snapshot().health, 'warning', 'unconfigured');
    p.role.apply({ host: '127.0.0.1' });
    t.equal(p.role.snapshot().health, 'warning', 'connecting, no failure yet');
    await p.connect();
    t.equal(p.role.snapshot().health, 'warning', 'syncing is yellow (R9)');
    await p.fullSync([['units', UNIT('Unit 1')]]);
    t.equal(p.role.snapshot().health, 'ok', 'ready');
    await p.send({ t: 'alarmClear', seq: 1, occurrenceId: 'o' });
    const first = p.current;
    t.equal(p.role.snapshot().bytesIn, first.bytesToRole, 'bytes in on this connection');
    t.equal(p.role.snapshot().totalBytesIn, first.bytesToRole);
    t.equal(p.role.snapshot().totalBytesOut, first.bytesFromRole);
    await p.hangUp();
    t.equal(p.role.snapshot().health, 'error', 'connecting after a failure is red');
    t.equal(p.role.snapshot().lastError?.code, 'ROLE_CONNECTION_CLOSED');
    await p.reconnect();
    await p.fullSync([['units', UNIT('Unit 1')]]);
    const second = p.current;
    const s = p.role.snapshot();
    t.equal(s.bytesIn, second.bytesToRole, 'bytesIn is the current connection only');
    t.equal(s.totalBytesIn, first.bytesToRole + second.bytesToRole, 'totals add every connection');
    t.equal(s.totalBytesOut, first.bytesFromRole + second.bytesFromRole);
    t.equal(s.health, 'ok');
  },
);
