import { MESSAGE_TYPES, type MessageType } from './messages.js';
import { isSiPassType } from './sipassTypes.js';

type Kind = 'string' | 'number' | 'boolean' | 'stype' | 'records' | 'occurrences' | 'counts' | 'types' | 'op' | 'mode' | 'action';

const ACTIONS: readonly unknown[] = ['allowAccess', 'block', 'unblock', 'buzzer', 'arm', 'disarm', 'pulse'];

/** Required fields per message type: the decoder rejects a frame missing any of them. */
const SHAPES: Record<MessageType, Record<string, Kind>> = {
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

// Built once: the decoder checks every frame (a live stream is a frame per message).
const KNOWN_TYPES: ReadonlySet<string> = new Set(MESSAGE_TYPES);
const SHAPE_FIELDS = Object.fromEntries(Object.entries(SHAPES).map(([t, shape]) => [t, Object.entries(shape)])) as Record<MessageType, Array<[string, Kind]>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      // Number.isFinite is false for anything but a finite number (it does not coerce).
      return Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'stype':
      return isSiPassType(v);
    case 'op':
      return v === 'add' || v === 'update' || v === 'delete';
    case 'mode':
      return v === 'full' || v === 'manual';
    case 'action':
      return ACTIONS.includes(v);
    case 'types':
      return Array.isArray(v) && v.every(isSiPassType);
    case 'counts':
      return isObject(v) && Object.entries(v).every(([k, n]) => isSiPassType(k) && typeof n === 'number');
    case 'records':
      // Checked per item because a batch is the hot path: id and name only, fields are free-form scalars.
      return Array.isArray(v) && v.every((r) => isObject(r) && typeof r.id === 'string' && typeof r.name === 'string');
    case 'occurrences':
      return (
        Array.isArray(v) &&
        v.every((o) => isObject(o) && typeof o.occurrenceId === 'string' && typeof o.alarmClassId === 'string')
      );
  }
}

/**
 * Returns the problem with a decoded JSON value, or undefined when it is a
 * well-formed Message.
 */
export function messageProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'payload is not a JSON object';
  // Typed as it will be once known: `has` of a set of strings is false for any other value.
  const t = v.t as MessageType;
  if (!KNOWN_TYPES.has(t)) {
    return `unknown message type ${JSON.stringify(v.t)}`;
  }
  for (const [field, kind] of SHAPE_FIELDS[t]) {
    if (!fits(kind, v[field])) return `message "${t}" has a missing or invalid field "${field}"`;
  }
  if (t === 'event' && (v.sourceType !== undefined || v.sourceId !== undefined) && !(isSiPassType(v.sourceType) && typeof v.sourceId === 'string')) {
    return 'message "event" has an invalid source entity ("sourceType" must be a SiPass type and "sourceId" a string, both or neither)';
  }
  if (t === 'hello' && v.batchEncodings !== undefined && !(Array.isArray(v.batchEncodings) && v.batchEncodings.every((e) => typeof e === 'string'))) {
    return 'message "hello" has an invalid field "batchEncodings" (an array of strings)';
  }
  if (t === 'change' && v.op !== 'delete' && !isObject(v.entity)) {
    return `message "change" (${String(v.op)}) needs an "entity"`;
  }
  return undefined;
}
