// R10 alarm delivery, R11 event delivery and their tables (native events, cardholder property
// groups, SC entity mapping), checked directly (issue 13: mutants of these survived the in-memory
// tests; the names, flags and fallbacks below are what the monitor, event log and browser show).
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import type { ScAcknowledge } from '../../../protocol/messages.js';
import { AlarmDelivery, type AlarmNotice } from '../../../plugin/securitycenter/alarmDelivery.js';
import { AlarmMonitor } from '../../../plugin/securitycenter/alarmMonitor.js';
import { addCustomFields, cardholderProperties } from '../../../plugin/securitycenter/cardholderProperties.js';
import { Directory } from '../../../plugin/securitycenter/directory.js';
import { EventDelivery, type EventNotice } from '../../../plugin/securitycenter/eventDelivery.js';
import { EventLog } from '../../../plugin/securitycenter/eventLog.js';
import { mapToScTypes } from '../../../plugin/securitycenter/mapping.js';
import { eventTypeKey, NATIVE_EVENT_NAMES, NATIVE_EVENT_TABLE, nativeEventFor } from '../../../plugin/securitycenter/nativeEvents.js';
import type { AlarmEntity, ScEntity } from '../../../plugin/securitycenter/scTypes.js';

const ALARM: AlarmEntity = { id: 'SC-AL-1', type: 'alarm', name: 'Door forced', sipassType: 'alarmClasses', sipassId: 'AC-1', fields: {}, priority: 1, recipients: ['Guards'], partitions: [], createdBy: 'r' };

function alarms(connected = true) {
  const clock = new SimulatedClock(100);
  const monitor = new AlarmMonitor();
  const directory = new Directory();
  directory.addUser('alice');
  directory.addUser('bob');
  directory.addGroup('Guards', ['bob', 'alice']);
  const notices: AlarmNotice[] = [];
  const sent: ScAcknowledge[] = [];
  const link = { connected };
  const d = new AlarmDelivery({
    clock,
    monitor,
    directory,
    requestPrefix: 'role-a',
    alarmFor: (id) => (id === 'AC-1' ? ALARM : undefined),
    notify: (n) => notices.push(n),
    send: (m) => {
      if (!link.connected) return false;
      sent.push(m);
      return true;
    },
  });
  return { d, clock, monitor, notices, sent, link };
}

void t.test('R10: a raised alarm triggers once with its flattened recipients; an unmapped class still shows', async (t) => {
  const { d, monitor, notices } = alarms();
  d.raised('O1', 'AC-1');
  d.raised('O1', 'AC-1');
  t.equal(monitor.count, 1, 'a repeat of a live alarm does not trigger again');
  t.strictSame(monitor.list()[0], { at: 100, alarmId: 'SC-AL-1', alarmName: 'Door forced', occurrenceId: 'O1', kind: 'raised', notified: ['alice', 'bob'], n: 1, acknowledged: null });
  t.strictSame(notices[0], { kind: 'alarm', occurrenceId: 'O1', alarmName: 'Door forced', notified: ['alice', 'bob'], retrigger: false });
  d.raised('O2', 'AC-9');
  t.strictSame(monitor.list()[1], { at: 100, alarmId: null, alarmName: 'unmapped alarm class AC-9', occurrenceId: 'O2', kind: 'raised', notified: [], n: 2, acknowledged: null });
});

void t.test('R10: alarms still active at a connection trigger again, with acknowledgements made in SiPass kept', async (t) => {
  const { d, monitor, notices, clock } = alarms();
  d.raised('O1', 'AC-1');
  clock.advanceBy(50);
  d.stillActive([
    { occurrenceId: 'O1', alarmClassId: 'AC-1', at: 0, acknowledged: true, acknowledgedBy: 'carol' },
    { occurrenceId: 'O2', alarmClassId: 'AC-1', at: 0, acknowledged: true },
    { occurrenceId: 'O3', alarmClassId: 'AC-1', at: 0, acknowledged: false },
  ]);
  t.strictSame(monitor.forOccurrence('O1').map((e) => e.kind), ['raised', 'retrigger']);
  t.strictSame(notices.map((n) => n.retrigger), [false, true, false, false]);
  t.strictSame(monitor.forOccurrence('O1')[1]?.acknowledged, { by: 'carol', from: 'sipass', at: 150 });
  t.strictSame(monitor.forOccurrence('O2')[0]?.acknowledged, { by: 'SiPass', from: 'sipass', at: 150 }, 'no name: SiPass');
  t.equal(monitor.forOccurrence('O3')[0]?.acknowledged, null);
  d.acknowledgedInSiPass('O3', 'dave');
  t.strictSame(monitor.forOccurrence('O3')[0]?.acknowledged, { by: 'dave', from: 'sipass', at: 150 });
});

void t.test('R10: an SC acknowledgement is sent with its own request id, pending until confirmed, resent on reconnect, never twice', async (t) => {
  const { d, sent, link, monitor } = alarms(false);
  d.raised('O1', 'AC-1');
  d.raised('O2', 'AC-1');
  d.raised('O3', 'AC-1');
  t.equal(d.acknowledgeInSc('O1', 'alice'), true);
  t.equal(sent.length, 0, 'disconnected: kept');
  t.equal(d.pendingCount, 1);
  t.equal(d.acknowledgeInSc('O1', 'bob'), false, 'already acknowledged: not again');
  t.equal(d.pendingCount, 1);
  t.equal(d.acknowledgeInSc('nope', 'bob'), false, 'no such occurrence');
  t.strictSame(monitor.forOccurrence('O1')[0]?.acknowledged, { by: 'alice', from: 'sc', at: 100 }, 'acknowledged from SC, by whom, when');
  link.connected = true;
  t.equal(d.acknowledgeInSc('O2', 'bob'), true);
  t.strictSame(sent, [{ t: 'scAck', requestId: 'role-a-ack-2', occurrenceId: 'O2', user: 'bob' }]);
  const resent: ScAcknowledge[] = [];
  d.resendPending((m) => resent.push(m));
  t.strictSame(resent, [
    { t: 'scAck', requestId: 'role-a-ack-1', occurrenceId: 'O1', user: 'alice' },
    { t: 'scAck', requestId: 'role-a-ack-2', occurrenceId: 'O2', user: 'bob' },
  ]);
  d.confirmed('role-a-ack-1');
  t.equal(d.pendingCount, 1);
  const again: ScAcknowledge[] = [];
  d.resendPending((m) => again.push(m));
  t.strictSame(again.map((m) => m.requestId), ['role-a-ack-2'], 'a confirmed one is not resent');
});

void t.test('R11: an event fires its custom event (named after the SC custom event, the type name, or the id) and maybe a native one', async (t) => {
  const clock = new SimulatedClock(7);
  const events = new EventLog();
  const notices: EventNotice[] = [];
  const custom: ScEntity = { id: 'SC-CE-1', type: 'customEvent', name: 'Badge collision', sipassType: 'eventTypes', sipassId: 'ET-1', fields: {} };
  const door: ScEntity = { id: 'SC-D-1', type: 'door', name: 'Front', sipassType: 'doorsets', sipassId: 'DS-1', fields: {} };
  const looked: string[] = [];
  const d = new EventDelivery({
    clock,
    events,
    roleName: 'SiPass plugin',
    customEventFor: (id) => (id === 'ET-1' ? custom : undefined),
    eventTypeName: (id) => (id === 'ET-2' ? 'Door held open' : undefined),
    scEntityOf: (type, id) => {
      looked.push(`${type}:${id}`);
      return type === 'doorsets' && id === 'DS-1' ? door : undefined;
    },
    notify: (n) => notices.push(n),
  });
  d.fire({ eventTypeId: 'ET-1', eventId: 'E1', source: 'Front door', sourceType: 'doorsets', sourceId: 'DS-1' });
  t.strictSame(events.list(), [
    { at: 7, kind: 'custom', name: 'Badge collision', eventId: 'E1', source: 'Front door', sourceEntity: { type: 'door', id: 'SC-D-1', name: 'Front' }, role: 'SiPass plugin', n: 1 },
    { at: 7, kind: 'native', name: 'Access denied', eventId: 'E1', source: 'Front door', sourceEntity: { type: 'door', id: 'SC-D-1', name: 'Front' }, role: 'SiPass plugin', n: 2 },
  ]);
  t.strictSame(notices[0], { kind: 'event', name: 'Badge collision', native: 'Access denied' });
  d.fire({ eventTypeId: 'ET-2', eventId: 'E2', source: 'x', sourceType: 'doorsets', sourceId: 'DS-2' });
  t.strictSame(events.list()[2], { at: 7, kind: 'custom', name: 'Door held open', eventId: 'E2', source: 'x', sourceEntity: null, role: 'SiPass plugin', n: 3 });
  t.strictSame(notices[1], { kind: 'event', name: 'Door held open', native: null });
  t.equal(events.count, 3, 'no native event for it');
  d.fire({ eventTypeId: 'ET-3', eventId: 'E3', source: 'y', sourceId: 'DS-1' });
  d.fire({ eventTypeId: 'ET-3', eventId: 'E4', source: 'y', sourceType: 'doorsets' });
  t.strictSame(events.list().slice(3).map((e) => [e.name, e.sourceEntity]), [['ET-3', null], ['ET-3', null]], 'the id when nothing names it; no source entity without both type and id');
  t.strictSame(looked, ['doorsets:DS-1', 'doorsets:DS-2'], 'looked up only with both type and id');
});

void t.test('R11: native events by event type whatever the capitalisation and spacing', async (t) => {
  t.equal(eventTypeKey('  Badge   Collision \t'), 'badge collision');
  t.equal(nativeEventFor('badge COLLISION'), 'Access denied');
  t.equal(nativeEventFor('Communication  Restored'), 'Unit connected');
  t.equal(nativeEventFor('Door held open'), null);
  t.equal(NATIVE_EVENT_TABLE.length, 13);
  t.strictSame(NATIVE_EVENT_NAMES, ['Access denied', 'Access granted', 'AC fail', 'People count reset', 'Battery fail', 'Battery fail (low battery)', 'Unit lost', 'Unit connected']);
  for (const [sipass, native] of NATIVE_EVENT_TABLE) t.equal(nativeEventFor(sipass), native, sipass);
});

void t.test('R14: cardholder fields in their property groups; custom fields created once by name', async (t) => {
  const p = cardholderProperties({
    lastName: 'Doe',
    title: 'Dr',
    vehicleMake: 'VW',
    photo: 'p.jpg',
    imageBack: 'b.jpg',
    'custom:Shoe size': 43,
    other: 'x',
  });
  t.strictSame(p, {
    definition: { lastName: 'Doe' },
    personal: { title: 'Dr' },
    vehicles: { vehicleMake: 'VW' },
    imaging: { photo: 'p.jpg', imageBack: 'b.jpg' },
    custom: { 'Shoe size': 43 },
  });
  const into = new Set<string>(['Badge']);
  addCustomFields({ 'custom:Shoe size': 1, 'custom:Badge': 2, lastName: 'x', customer: 3 }, into);
  t.strictSame([...into], ['Badge', 'Shoe size']);
});

void t.test('R8: SC entity types per SiPass type (visitor workgroups only; credentials only with credential sync)', async (t) => {
  const on = { credentialSync: true };
  const off = { credentialSync: false };
  const r = { id: 'x', name: 'x' };
  t.strictSame(mapToScTypes('alarmClasses', r, off), ['alarm']);
  t.strictSame(mapToScTypes('cardholders', r, off), ['cardholder']);
  t.strictSame(mapToScTypes('credentials', r, on), ['credential']);
  t.strictSame(mapToScTypes('credentials', r, off), []);
  t.strictSame(mapToScTypes('workgroups', { ...r, visitor: true }, off), ['cardholderGroup']);
  t.strictSame(mapToScTypes('workgroups', { ...r, visitor: 'true' }, off), [], 'only a real true');
  t.strictSame(mapToScTypes('workgroups', r, off), []);
  t.strictSame(mapToScTypes('doorsets', r, off), ['door']);
  t.strictSame(mapToScTypes('banks', r, off), ['elevator']);
  t.strictSame(mapToScTypes('apbAreas', r, off), ['area']);
  t.strictSame(mapToScTypes('areas', r, off), ['intrusionArea']);
  t.strictSame(mapToScTypes('units', r, off), ['accessControlUnit', 'intrusionUnit']);
  t.strictSame(mapToScTypes('eventTypes', r, off), ['customEvent']);
});
