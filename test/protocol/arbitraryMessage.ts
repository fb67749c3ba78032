import fc from 'fast-check';
import type {
  CommandRequest,
  CommandResult,
  ActiveAlarms,
  AlarmAcknowledged,
  AlarmCleared,
  AlarmOccurrence,
  AlarmRaised,
  Batch,
  Change,
  ErrorMessage,
  EventFired,
  Hello,
  LiveAck,
  Message,
  MessageType,
  Ping,
  Pong,
  ScAcknowledge,
  ScAcknowledgeResult,
  SyncBegin,
  SyncEnd,
  SyncRequest,
  Welcome,
} from '../../protocol/messages.js';
import { MESSAGE_TYPES } from '../../protocol/messages.js';
import { SIPASS_TYPES, type Scalar, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';

/**
 * Arbitraries for every wire message, generating only messages the decoder
 * must accept. Values are in the JSON normal form (no -0, no NaN/Infinity, no
 * undefined-valued keys), so encode -> decode must give back an equal object.
 */

/** Text: mostly ASCII, sometimes any code point, sometimes lone UTF-16 surrogates (JSON.stringify escapes them). */
export const arbText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 }) },
);

/** fc.record with plain objects (fast-check may otherwise build null-prototype objects, which JSON never gives back). */
function rec<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}

const noNegativeZero = (n: number): number => (Object.is(n, -0) ? 0 : n);

/** A finite JSON number. */
export const arbNumber: fc.Arbitrary<number> = fc
  .oneof(fc.integer(), fc.nat(), fc.double({ noNaN: true, noDefaultInfinity: true }))
  .map(noNegativeZero);

export const arbSeq: fc.Arbitrary<number> = fc.nat();
export const arbSiPassType: fc.Arbitrary<SiPassType> = fc.constantFrom(...SIPASS_TYPES);

export const arbScalar: fc.Arbitrary<Scalar> = fc.oneof(arbText, arbNumber, fc.boolean(), fc.constant(null));

const arbFieldName: fc.Arbitrary<string> = fc
  .string({ minLength: 1, maxLength: 12 })
  .filter((k) => k !== 'id' && k !== 'name' && k !== '__proto__');

/** One entity record: id and name strings plus free-form scalar fields. */
export const arbRecord: fc.Arbitrary<SiPassRecord> = fc
  .tuple(arbText, arbText, fc.uniqueArray(fc.tuple(arbFieldName, arbScalar), { maxLength: 5, selector: ([k]) => k }))
  .map(([id, name, fields]) => {
    const r: SiPassRecord = { id, name };
    for (const [k, v] of fields) r[k] = v;
    return r;
  });

/** Per-type counts (syncBegin.totals, syncEnd.counts): any subset of the types. */
export const arbCounts: fc.Arbitrary<Partial<Record<SiPassType, number>>> = fc.record(
  Object.fromEntries(SIPASS_TYPES.map((t) => [t, fc.nat()])) as Record<SiPassType, fc.Arbitrary<number>>,
  { requiredKeys: [], noNullPrototype: true },
);

const arbOccurrence: fc.Arbitrary<AlarmOccurrence> = rec({
  occurrenceId: arbText,
  alarmClassId: arbText,
  at: arbNumber,
  acknowledged: fc.boolean(),
});

const arbHello: fc.Arbitrary<Hello> = rec({
  t: fc.constant('hello' as const),
  v: fc.nat(),
  roleId: arbText,
  roleName: arbText,
  epoch: arbText,
  lastSeq: arbSeq,
});
const arbWelcome: fc.Arbitrary<Welcome> = rec({
  t: fc.constant('welcome' as const),
  v: fc.nat(),
  server: arbText,
  site: arbText,
  epoch: arbText,
  seq: arbSeq,
});
const arbSyncRequest: fc.Arbitrary<SyncRequest> = rec({
  t: fc.constant('syncRequest' as const),
  id: fc.nat(),
  mode: fc.constantFrom('full' as const, 'manual' as const),
  types: fc.array(arbSiPassType, { maxLength: 12 }),
});
const arbSyncBegin: fc.Arbitrary<SyncBegin> = rec({ t: fc.constant('syncBegin' as const), id: fc.nat(), totals: arbCounts });
const arbBatch: fc.Arbitrary<Batch> = rec({
  t: fc.constant('batch' as const),
  id: fc.nat(),
  type: arbSiPassType,
  items: fc.array(arbRecord, { maxLength: 6 }),
});
const arbSyncEnd: fc.Arbitrary<SyncEnd> = rec({
  t: fc.constant('syncEnd' as const),
  id: fc.nat(),
  counts: arbCounts,
  digest: arbText,
});
const arbActiveAlarms: fc.Arbitrary<ActiveAlarms> = rec({
  t: fc.constant('activeAlarms' as const),
  occurrences: fc.array(arbOccurrence, { maxLength: 5 }),
});
const arbChange: fc.Arbitrary<Change> = fc.oneof(
  rec({
    t: fc.constant('change' as const),
    seq: arbSeq,
    op: fc.constantFrom('add' as const, 'update' as const),
    type: arbSiPassType,
    id: arbText,
    entity: arbRecord,
  }),
  // A delete carries no entity (or, harmlessly, one).
  fc.record(
    {
      t: fc.constant('change' as const),
      seq: arbSeq,
      op: fc.constant('delete' as const),
      type: arbSiPassType,
      id: arbText,
      entity: arbRecord,
    },
    { requiredKeys: ['t', 'seq', 'op', 'type', 'id'], noNullPrototype: true },
  ),
);
const arbAlarm: fc.Arbitrary<AlarmRaised> = rec({
  t: fc.constant('alarm' as const),
  seq: arbSeq,
  occurrenceId: arbText,
  alarmClassId: arbText,
  at: arbNumber,
});
const arbAlarmAck: fc.Arbitrary<AlarmAcknowledged> = rec({
  t: fc.constant('alarmAck' as const),
  seq: arbSeq,
  occurrenceId: arbText,
  by: arbText,
});
const arbAlarmClear: fc.Arbitrary<AlarmCleared> = rec({ t: fc.constant('alarmClear' as const), seq: arbSeq, occurrenceId: arbText });
const arbEvent: fc.Arbitrary<EventFired> = rec({
  t: fc.constant('event' as const),
  seq: arbSeq,
  eventId: arbText,
  eventTypeId: arbText,
  at: arbNumber,
  source: arbText,
});
const arbAck: fc.Arbitrary<LiveAck> = rec({ t: fc.constant('ack' as const), seq: arbSeq });
const arbScAck: fc.Arbitrary<ScAcknowledge> = rec({
  t: fc.constant('scAck' as const),
  requestId: arbText,
  occurrenceId: arbText,
  user: arbText,
});
const arbScAckResult: fc.Arbitrary<ScAcknowledgeResult> = fc.record(
  { t: fc.constant('scAckResult' as const), requestId: arbText, ok: fc.boolean(), reason: arbText },
  { requiredKeys: ['t', 'requestId', 'ok'], noNullPrototype: true },
);
const arbCommand: fc.Arbitrary<CommandRequest> = fc.record(
  {
    t: fc.constant('command' as const),
    requestId: arbText,
    entityType: fc.constantFrom(...SIPASS_TYPES),
    entityId: arbText,
    action: fc.constantFrom('allowAccess', 'block', 'unblock', 'buzzer', 'arm', 'disarm', 'pulse' as const),
    operator: arbText,
    output: fc.nat(64),
    pattern: fc.constantFrom('fast', 'single', 'slow', 'toggle' as const),
  },
  { requiredKeys: ['t', 'requestId', 'entityType', 'entityId', 'action', 'operator'], noNullPrototype: true },
);
const arbCommandResult: fc.Arbitrary<CommandResult> = fc.record(
  { t: fc.constant('commandResult' as const), requestId: arbText, ok: fc.boolean(), reason: arbText },
  { requiredKeys: ['t', 'requestId', 'ok'], noNullPrototype: true },
);
const arbPing: fc.Arbitrary<Ping> = rec({ t: fc.constant('ping' as const), n: arbNumber });
const arbPong: fc.Arbitrary<Pong> = rec({ t: fc.constant('pong' as const), n: arbNumber });
const arbError: fc.Arbitrary<ErrorMessage> = rec({
  t: fc.constant('error' as const),
  code: arbText,
  message: arbText,
  fatal: fc.boolean(),
});

/** One arbitrary per message type; the Record type makes a missing type a compile error. */
export const messageArbitraries: { readonly [K in MessageType]: fc.Arbitrary<Extract<Message, { t: K }>> } = {
  hello: arbHello,
  welcome: arbWelcome,
  syncRequest: arbSyncRequest,
  syncBegin: arbSyncBegin,
  batch: arbBatch,
  syncEnd: arbSyncEnd,
  activeAlarms: arbActiveAlarms,
  change: arbChange,
  alarm: arbAlarm,
  alarmAck: arbAlarmAck,
  alarmClear: arbAlarmClear,
  event: arbEvent,
  ack: arbAck,
  scAck: arbScAck,
  scAckResult: arbScAckResult,
  command: arbCommand,
  commandResult: arbCommandResult,
  ping: arbPing,
  pong: arbPong,
  error: arbError,
};

/** A valid message of the given type. */
export function arbitraryMessageOf(type: MessageType): fc.Arbitrary<Message> {
  return messageArbitraries[type] as fc.Arbitrary<Message>;
}

/** A valid message of any type, every type equally likely. */
export const arbitraryMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_TYPES.map((t) => arbitraryMessageOf(t)));
