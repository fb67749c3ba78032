// messageProblem, field by field (issue 13): every required field with a value of the wrong
// kind is named in the problem. Break tried: `counts` accepting any object value
// (`|| typeof n === 'number'`) -> the case "syncBegin.totals {cardholders: "1"}" fails.
import t from 'tap';
import { MESSAGE_TYPES, type Message, type MessageType } from '../../protocol/messages.js';
import { messageProblem } from '../../protocol/validateMessage.js';

const VALID: { [K in MessageType]: Extract<Message, { t: K }> } = {
  hello: { t: 'hello', v: 1, roleId: 'r', roleName: 'R', epoch: '', lastSeq: 0 },
  welcome: { t: 'welcome', v: 1, server: 's', site: 'x', epoch: 'e', seq: 0 },
  syncRequest: { t: 'syncRequest', id: 1, mode: 'manual', types: ['units'] },
  syncBegin: { t: 'syncBegin', id: 1, totals: { units: 1 } },
  batch: { t: 'batch', id: 1, type: 'units', items: [{ id: 'UN-1', name: 'Unit 1' }] },
  syncEnd: { t: 'syncEnd', id: 1, counts: { units: 1 }, digest: 'd' },
  activeAlarms: { t: 'activeAlarms', occurrences: [{ occurrenceId: 'o', alarmClassId: 'a', at: 0, acknowledged: false }] },
  change: { t: 'change', seq: 1, op: 'update', type: 'units', id: 'UN-1', entity: { id: 'UN-1', name: 'Unit 1' } },
  alarm: { t: 'alarm', seq: 1, occurrenceId: 'o', alarmClassId: 'a', at: 0 },
  alarmAck: { t: 'alarmAck', seq: 1, occurrenceId: 'o', by: 'u' },
  alarmClear: { t: 'alarmClear', seq: 1, occurrenceId: 'o' },
  event: { t: 'event', seq: 1, eventId: 'e', eventTypeId: 'ET', at: 0, source: 's' },
  ack: { t: 'ack', seq: 1 },
  scAck: { t: 'scAck', requestId: 'q', occurrenceId: 'o', user: 'u' },
  scAckResult: { t: 'scAckResult', requestId: 'q', ok: true },
  command: { t: 'command', requestId: 'q', entityType: 'doorsets', entityId: 'DS-1', action: 'block', operator: 'u' },
  commandResult: { t: 'commandResult', requestId: 'q', ok: true },
  ping: { t: 'ping', n: 1 },
  pong: { t: 'pong', n: 1 },
  error: { t: 'error', code: 'C', message: 'm', fatal: false },
};

/** Values of the wrong kind for each field kind, and values of the right kind that must pass. */
const WRONG: Record<string, unknown[]> = {
  string: [1, null, true, ['x']],
  number: ['1', null, true, [1]],
  boolean: ['true', 1, null],
  stype: ['people', 'Units', 1, null],
  op: ['upsert', 'Add', null],
  mode: ['partial', 'Full', null],
  action: ['unlock', 'Block', 1, null],
  types: ['units', ['people'], ['units', 'people'], { 0: 'units' }, null],
  counts: [[], null, 'x', { people: 1 }, { units: '1' }, { units: 1, doors: 2 }],
  records: [{}, null, [null], ['x'], [[]], [{ id: 1, name: 'x' }], [{ id: 'x' }], [{ name: 'x' }], [{ id: 'x', name: 1 }], [{ id: 'x', name: 'y' }, { id: 'z' }]],
  occurrences: [{}, null, [null], [[]], [{ occurrenceId: 'o' }], [{ alarmClassId: 'a' }], [{ occurrenceId: 1, alarmClassId: 'a' }], [{ occurrenceId: 'o', alarmClassId: 2 }]],
};

const KINDS: Record<MessageType, Record<string, keyof typeof WRONG>> = {
  hello: { v: 'number', roleId: 'string', roleName: 'string', epoch: 'string', lastSeq: 'number' },
  welcome: { v: 'number', server: 'string', site: 'string', epoch: 'string', seq: 'number' },
  syncRequest: { id: 'number', mode: 'mode', types: 'types' },
  syncBegin: { id: 'number', totals: 'counts' },
  batch: { id: 'number', type: 'stype', items: 'records' },
  syncEnd: { id: 'number', counts: 'counts', digest: 'string' },
  activeAlarms: { occurrences: 'occurrences' },
  change: { seq: 'number', op: 'op', type: 'stype', id: 'string' },
  alarm: { seq: 'number', occurrenceId: 'string', alarmClassId: 'string', at: 'number' },
  alarmAck: { seq: 'number', occurrenceId: 'string', by: 'string' },
  alarmClear: { seq: 'number', occurrenceId: 'string' },
  event: { seq: 'number', eventId: 'string', eventTypeId: 'string', at: 'number', source: 'string' },
  ack: { seq: 'number' },
  scAck: { requestId: 'string', occurrenceId: 'string', user: 'string' },
  scAckResult: { requestId: 'string', ok: 'boolean' },
  command: { requestId: 'string', entityType: 'stype', entityId: 'string', action: 'action', operator: 'string' },
  commandResult: { requestId: 'string', ok: 'boolean' },
  ping: { n: 'number' },
  pong: { n: 'number' },
  error: { code: 'string', message: 'string', fatal: 'boolean' },
};

void t.test('every valid example passes; every required field of the wrong kind is named', (t) => {
  t.strictSame(Object.keys(VALID).sort(), [...MESSAGE_TYPES].sort());
  for (const type of MESSAGE_TYPES) {
    t.equal(messageProblem(VALID[type]), undefined, `${type} is valid`);
    for (const [field, kind] of Object.entries(KINDS[type])) {
      for (const bad of WRONG[kind] ?? []) {
        const m = { ...VALID[type], [field]: bad };
        t.equal(messageProblem(m), `message "${type}" has a missing or invalid field "${field}"`, `${type}.${field} = ${JSON.stringify(bad)}`);
      }
    }
  }
  t.end();
});

void t.test('the right kinds in their other forms pass', (t) => {
  for (const m of [
    { ...VALID.syncRequest, mode: 'full', types: [] },
    { ...VALID.syncBegin, totals: {} },
    { ...VALID.batch, items: [] },
    { ...VALID.batch, type: 'eventTypes', items: [{ id: 'x', name: 'y', extra: null }] },
    { ...VALID.activeAlarms, occurrences: [] },
    { ...VALID.change, op: 'add' },
    { t: 'change', seq: 2, op: 'delete', type: 'units', id: 'UN-1' },
    { ...VALID.scAckResult, ok: false, reason: 'no such occurrence' },
    { ...VALID.error, fatal: true },
    { ...VALID.ping, n: -1.5 },
  ]) {
    t.equal(messageProblem(m), undefined, JSON.stringify(m));
  }
  t.end();
});

void t.test('the words for a payload that is not a message at all', (t) => {
  t.equal(messageProblem(null), 'payload is not a JSON object');
  t.equal(messageProblem([VALID.ping]), 'payload is not a JSON object');
  t.equal(messageProblem('ping'), 'payload is not a JSON object');
  t.equal(messageProblem({ n: 1 }), 'unknown message type undefined');
  t.equal(messageProblem({ t: 'Ping', n: 1 }), 'unknown message type "Ping"');
  t.equal(messageProblem({ t: 7 }), 'unknown message type 7');
  t.end();
});

void t.test('an add or update needs an entity object; a delete does not', (t) => {
  for (const op of ['add', 'update'] as const) {
    for (const entity of [undefined, null, 'UN-1', ['UN-1']]) {
      const m: Record<string, unknown> = { ...VALID.change, op, entity };
      if (entity === undefined) delete m.entity;
      t.equal(messageProblem(m), `message "change" (${op}) needs an "entity"`, `${op} with entity ${JSON.stringify(entity)}`);
    }
  }
  t.end();
});

void t.test(
  'an event\'s source entity: both sourceType (a SiPass type) and sourceId (a string), or neither ' +
    '(break: the source check dropped, or applied to other messages -> the refused cases pass / the change is refused)',
  (t) => {
    const event = VALID.event;
    const problem = 'message "event" has an invalid source entity ("sourceType" must be a SiPass type and "sourceId" a string, both or neither)';
    t.equal(messageProblem({ ...event, sourceType: 'doorsets', sourceId: 'DS-1' }), undefined, 'both');
    t.equal(messageProblem(event), undefined, 'neither');
    t.equal(messageProblem({ ...event, sourceType: 'doorsets' }), problem, 'a type without an id');
    t.equal(messageProblem({ ...event, sourceId: 'DS-1' }), problem, 'an id without a type');
    t.equal(messageProblem({ ...event, sourceType: 'doors', sourceId: 'DS-1' }), problem, 'not a SiPass type');
    t.equal(messageProblem({ ...event, sourceType: 'doorsets', sourceId: 7 }), problem, 'an id that is not a string');
    t.equal(messageProblem({ ...VALID.alarm, sourceType: 'doors', sourceId: 7 }), undefined, 'other messages may carry such fields');
    t.end();
  },
);

void t.test('every command action of R13 is accepted (break: one action word changed -> that command is refused)', (t) => {
  for (const action of ['allowAccess', 'block', 'unblock', 'buzzer', 'arm', 'disarm', 'pulse']) {
    t.equal(messageProblem({ ...VALID.command, action }), undefined, action);
  }
  t.end();
});
