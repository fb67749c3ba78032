import { encodeMessage, encodePacked } from '../protocol/encodeMessage.js';
import { MESSAGE_TYPES, type Message, type MessageType } from '../protocol/messages.js';
import { SIPASS_TYPES, type Scalar, type SiPassRecord } from '../protocol/sipassTypes.js';
import { HEADER_SIZE, MAGIC_0, MAGIC_1 } from '../protocol/version.js';
import { Rng } from './rng.js';

/**
 * Inputs for the frame decoder: random bytes, and valid streams of frames
 * mutated (bit flips, byte insert/delete, truncation, length-field
 * corruption, splicing two streams, foreign prefixes, payload rewrites), fed
 * in random chunks. Each input comes from (seed, index) alone.
 */
export interface DecoderCase {
  seed: number;
  index: number;
  /** How the input was made: the strategy, then each mutation applied. */
  recipe: string[];
  bytes: Buffer;
  /** Chunk boundaries (sorted offsets inside `bytes`). */
  cuts: number[];
  /** The decoder's frame limit for this input (undefined: the default, 4 MiB). */
  maxFrame: number | undefined;
}

// --- valid messages -----------------------------------------------------------

const TEXTS = ['', 'a', 'SiPass', 'Zoë Ünal ✓', '😀', '\ud800', '"quoted"', '\\', '\u0000', 'x'.repeat(40), '{"t":"ping"}', '__proto__', 'constructor'];

function text(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return rng.pick(TEXTS);
    case 1: {
      const n = rng.int(12);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + rng.int(95));
      return s;
    }
    case 2: {
      const n = rng.int(6);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x10000));
      return s;
    }
    default:
      return `${rng.pick(['CH', 'AC', 'DS', 'OCC', 'EV', 'ET', 'UN'])}-${rng.int(100_000)}`;
  }
}

const NUMBERS = [0, 1, -1, 0.5, 1e-300, 1e300, 2 ** 53, -(2 ** 53), 4294967295, Number.MAX_VALUE, Number.MIN_VALUE];

function num(rng: Rng): number {
  return rng.chance(0.3) ? rng.pick(NUMBERS) : rng.chance(0.5) ? rng.int(1_000_000) : (rng.next() - 0.5) * 1e6;
}

const nat = (rng: Rng): number => (rng.chance(0.1) ? rng.pick([0, 2 ** 31, 2 ** 53 - 1]) : rng.int(100_000));

function scalar(rng: Rng): Scalar {
  switch (rng.int(4)) {
    case 0:
      return text(rng);
    case 1:
      return num(rng);
    case 2:
      return rng.chance(0.5);
    default:
      return null;
  }
}

function entity(rng: Rng): SiPassRecord {
  const r: SiPassRecord = { id: text(rng), name: text(rng) };
  const fields = rng.int(5);
  for (let i = 0; i < fields; i++) r[rng.pick(['firstName', 'lastName', 'priority', 'workgroupId', 'lock', 'readerA', 'x', 'ä'])] = scalar(rng);
  return r;
}

function counts(rng: Rng): Partial<Record<(typeof SIPASS_TYPES)[number], number>> {
  const out: Partial<Record<(typeof SIPASS_TYPES)[number], number>> = {};
  for (const t of SIPASS_TYPES) if (rng.chance(0.4)) out[t] = nat(rng);
  return out;
}

const list = <T>(rng: Rng, max: number, item: () => T): T[] => Array.from({ length: rng.int(max + 1) }, item);

/** A message the decoder must accept. */
export function validMessage(rng: Rng, type: MessageType = rng.pick(MESSAGE_TYPES)): Message {
  const stype = (): (typeof SIPASS_TYPES)[number] => rng.pick(SIPASS_TYPES);
  switch (type) {
    case 'hello':
      return { t: 'hello', v: rng.chance(0.9) ? 1 : nat(rng), roleId: text(rng), roleName: text(rng), epoch: text(rng), lastSeq: nat(rng) };
    case 'welcome':
      return { t: 'welcome', v: 1, server: text(rng), site: text(rng), epoch: text(rng), seq: nat(rng) };
    case 'syncRequest':
      return { t: 'syncRequest', id: nat(rng), mode: rng.pick(['full', 'manual'] as const), types: list(rng, 10, stype) };
    case 'syncBegin':
      return { t: 'syncBegin', id: nat(rng), totals: counts(rng) };
    case 'batch':
      return { t: 'batch', id: nat(rng), type: stype(), items: list(rng, 8, () => entity(rng)) };
    case 'syncEnd':
      return { t: 'syncEnd', id: nat(rng), counts: counts(rng), digest: `${rng.int(1000).toString(16)}-${rng.int(2 ** 31).toString(16).padStart(16, '0')}` };
    case 'activeAlarms':
      return {
        t: 'activeAlarms',
        occurrences: list(rng, 4, () => ({ occurrenceId: text(rng), alarmClassId: text(rng), at: num(rng), acknowledged: rng.chance(0.5) })),
      };
    case 'change': {
      const op = rng.pick(['add', 'update', 'delete'] as const);
      return op === 'delete' && rng.chance(0.5)
        ? { t: 'change', seq: nat(rng), op, type: stype(), id: text(rng) }
        : { t: 'change', seq: nat(rng), op, type: stype(), id: text(rng), entity: entity(rng) };
    }
    case 'alarm':
      return { t: 'alarm', seq: nat(rng), occurrenceId: text(rng), alarmClassId: text(rng), at: num(rng) };
    case 'alarmAck':
      return { t: 'alarmAck', seq: nat(rng), occurrenceId: text(rng), by: text(rng) };
    case 'alarmClear':
      return { t: 'alarmClear', seq: nat(rng), occurrenceId: text(rng) };
    case 'event':
      return { t: 'event', seq: nat(rng), eventId: text(rng), eventTypeId: text(rng), at: num(rng), source: text(rng) };
    case 'ack':
      return { t: 'ack', seq: nat(rng) };
    case 'scAck':
      return { t: 'scAck', requestId: text(rng), occurrenceId: text(rng), user: text(rng) };
    case 'command':
      return { t: 'command', requestId: text(rng), entityType: stype(), entityId: text(rng), action: rng.pick(['allowAccess', 'block', 'unblock', 'buzzer', 'arm', 'disarm', 'pulse'] as const), operator: text(rng) };
    case 'commandResult':
      return { t: 'commandResult', requestId: text(rng), ok: rng.chance(0.5) };
    case 'scAckResult':
      return rng.chance(0.5)
        ? { t: 'scAckResult', requestId: text(rng), ok: rng.chance(0.5), reason: text(rng) }
        : { t: 'scAckResult', requestId: text(rng), ok: rng.chance(0.5) };
    case 'ping':
      return { t: 'ping', n: num(rng) };
    case 'pong':
      return { t: 'pong', n: num(rng) };
    case 'error':
      return { t: 'error', code: text(rng), message: text(rng), fatal: rng.chance(0.5) };
  }
}

// --- streams with known frame boundaries ---------------------------------------

interface Stream {
  bytes: Buffer;
  /** Offsets where a frame starts (valid until the first mutation that moves bytes). */
  starts: number[];
}

function frameAround(payload: Buffer): Buffer {
  const header = Buffer.from([MAGIC_0, MAGIC_1, 0, 0, 0, 0]);
  header.writeUInt32BE(payload.length, 2);
  return Buffer.concat([header, payload]);
}

function validStream(rng: Rng, frames = rng.range(1, 4)): Stream {
  const parts: Buffer[] = [];
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < frames; i++) {
    // Every other frame with batches packed (protocol/packedBatch.ts), so mutations reach the unpacking too;
    // by position, not a draw, so the generator's sequence of draws is what it was.
    const m = validMessage(rng);
    const f = i % 2 === 1 ? encodePacked(m) : encodeMessage(m);
    starts.push(at);
    at += f.length;
    parts.push(f);
  }
  return { bytes: Buffer.concat(parts), starts };
}

/** JSON payloads that are well-formed or nearly so, but not what a message should be. */
function oddPayload(rng: Rng): Buffer {
  const m = validMessage(rng) as unknown as Record<string, unknown>;
  const keys = Object.keys(m);
  const key = rng.pick(keys);
  const odd: unknown[] = [null, 0, -0, Number.MAX_VALUE, '', [], {}, true, 'full', ['cardholders'], { cardholders: 'x' }, [null], [{ id: 1 }], { length: 1e9 }];
  switch (rng.int(10)) {
    case 0: {
      delete m[key];
      return Buffer.from(JSON.stringify(m));
    }
    case 1: {
      m[key] = rng.pick(odd);
      return Buffer.from(JSON.stringify(m));
    }
    case 2: {
      // Deep nesting: arrays or objects, thousands of levels.
      const depth = rng.pick([100, 1_000, 10_000, 100_000]);
      const open = rng.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const inner = `${open.repeat(depth)}1${close.repeat(depth)}`;
      return Buffer.from(rng.chance(0.5) ? inner : `{"t":"batch","id":1,"type":"units","items":${inner}}`);
    }
    case 3:
      return Buffer.from(rng.pick(['{"t":"__proto__"}', '{"__proto__":{"t":"ping"},"n":1}', '{"t":"toString"}', '{"t":"hasOwnProperty","n":1}', '{"t":"constructor"}', '{"t":"ping","n":1e400}', '{"t":"ack","seq":-1e-400}', '{"t":"pong","n":1,"t":"ping"}']));
    case 4:
      return Buffer.from(JSON.stringify(rng.pick(odd)));
    case 5: {
      // Invalid UTF-8 inside the JSON text.
      const j = Buffer.from(JSON.stringify(m));
      const at = rng.int(j.length + 1);
      return Buffer.concat([j.subarray(0, at), Buffer.from(rng.pick([[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]])), j.subarray(at)]);
    }
    case 6:
      return Buffer.from(`${JSON.stringify(m)}${rng.pick([' ', '\n', '}', ',', '0', '\u0000', '\ufeff'])}`);
    case 7:
      return Buffer.from(`\ufeff${JSON.stringify(m)}`);
    case 8:
      return Buffer.from(JSON.stringify({ t: rng.pick(MESSAGE_TYPES) }));
    default: {
      // Long strings, and numbers beyond a double, in valid positions.
      if (rng.chance(0.5)) {
        m[key] = 'x'.repeat(rng.int(70_000));
        return Buffer.from(JSON.stringify(m));
      }
      return Buffer.from(JSON.stringify({ ...m, [key]: 0 }).replace(`"${key}":0`, `"${key}":1e${rng.range(300, 330)}`));
    }
  }
}

const FOREIGN = ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'POST', 'PUT ', 'HEAD', 'HTTP/1.1 200 OK\r\n', 'SSH-2.0-x\r\n', '\u0016\u0003\u0001\u0000', '220 ', '+OK', '*1\r\n', 'GE', 'S', 'SP', 'SQ', '\u0000\u0000'];

// --- mutations -------------------------------------------------------------------

type Mutation = (rng: Rng, s: Stream, maxFrame: number) => Stream;

const moved = (bytes: Buffer): Stream => ({ bytes, starts: [] });

const MUTATIONS: ReadonlyArray<readonly [number, string, Mutation]> = [
  [
    4,
    'bitflip',
    (rng, s) => {
      if (s.bytes.length === 0) return s;
      const b = Buffer.from(s.bytes);
      const n = rng.range(1, 4);
      for (let i = 0; i < n; i++) {
        const at = rng.int(b.length);
        b[at] = (b[at] ?? 0) ^ (1 << rng.int(8));
      }
      return { bytes: b, starts: s.starts };
    },
  ],
  [
    3,
    'byteset',
    (rng, s) => {
      if (s.bytes.length === 0) return s;
      const b = Buffer.from(s.bytes);
      b[rng.int(b.length)] = rng.chance(0.5) ? rng.int(256) : rng.pick([0x00, 0xff, 0x53, 0x50, 0x7b, 0x7d, 0x22, 0x5c, 0x80, 0xc0, 0x2c, 0x3a]);
      return { bytes: b, starts: s.starts };
    },
  ],
  [
    3,
    'insert',
    (rng, s) => {
      const at = rng.int(s.bytes.length + 1);
      return moved(Buffer.concat([s.bytes.subarray(0, at), rng.bytes(rng.range(1, 8)), s.bytes.subarray(at)]));
    },
  ],
  [
    3,
    'delete',
    (rng, s) => {
      const at = rng.int(s.bytes.length + 1);
      return moved(Buffer.concat([s.bytes.subarray(0, at), s.bytes.subarray(at + rng.range(1, 8))]));
    },
  ],
  [3, 'truncate', (rng, s) => ({ bytes: s.bytes.subarray(0, rng.int(s.bytes.length + 1)), starts: s.starts })],
  [
    5,
    'length',
    (rng, s, maxFrame) => {
      const at = s.starts.length > 0 ? rng.pick(s.starts) : rng.int(Math.max(1, s.bytes.length - HEADER_SIZE + 1));
      if (at + HEADER_SIZE > s.bytes.length) return s;
      const b = Buffer.from(s.bytes);
      const len = b.readUInt32BE(at + 2);
      const values = [0, 1, len - 1, len + 1, len + rng.range(2, 64), Math.max(0, len - rng.range(2, 64)), 0xffffffff, 0x7fffffff, 0x80000000, maxFrame, maxFrame + 1, rng.int(2 ** 32)];
      b.writeUInt32BE(Math.min(0xffffffff, Math.max(0, rng.pick(values))), at + 2);
      return { bytes: b, starts: s.starts };
    },
  ],
  [
    3,
    'splice',
    (rng, s) => {
      const other = validStream(rng);
      return moved(Buffer.concat([s.bytes.subarray(0, rng.int(s.bytes.length + 1)), other.bytes.subarray(rng.int(other.bytes.length + 1))]));
    },
  ],
  [
    2,
    'duplicate',
    (rng, s) => {
      const from = rng.int(s.bytes.length + 1);
      const piece = s.bytes.subarray(from, from + rng.range(1, 32));
      const at = rng.int(s.bytes.length + 1);
      return moved(Buffer.concat([s.bytes.subarray(0, at), piece, s.bytes.subarray(at)]));
    },
  ],
  [
    2,
    'foreign',
    (rng, s) => {
      const at = s.starts.length > 0 && rng.chance(0.7) ? rng.pick(s.starts) : 0;
      return moved(Buffer.concat([s.bytes.subarray(0, at), Buffer.from(rng.pick(FOREIGN), 'latin1'), s.bytes.subarray(at)]));
    },
  ],
  [
    4,
    'payload',
    (rng, s) => {
      // Replace one frame by a well-framed odd payload (right length, wrong content).
      const odd = frameAround(oddPayload(rng));
      if (s.starts.length === 0) return moved(Buffer.concat([s.bytes, odd]));
      const i = rng.int(s.starts.length);
      const from = s.starts[i] ?? 0;
      const to = s.starts[i + 1] ?? s.bytes.length;
      const bytes = Buffer.concat([s.bytes.subarray(0, from), odd, s.bytes.subarray(to)]);
      const shift = odd.length - (to - from);
      return { bytes, starts: s.starts.map((x, j) => (j <= i ? x : x + shift)) };
    },
  ],
];

export const MUTATION_NAMES: readonly string[] = MUTATIONS.map(([, name]) => name);

function cutsFor(rng: Rng, length: number): number[] {
  if (length === 0) return [];
  const style = rng.int(4);
  if (style === 0) return [];
  if (style === 1 && length <= 512) return Array.from({ length: length - 1 }, (_, i) => i + 1);
  const n = rng.range(1, 8);
  const set = new Set<number>();
  for (let i = 0; i < n; i++) set.add(rng.range(1, Math.max(1, length - 1)));
  return [...set].filter((c) => c > 0 && c < length).sort((a, b) => a - b);
}

/** The input number `index` of the run with `seed`. */
export function decoderCase(seed: number, index: number): DecoderCase {
  const rng = new Rng(seed, index);
  const maxFrame = rng.chance(0.2) ? rng.pick([0, 1, 6, 16, 64, 256, rng.int(4096)]) : undefined;
  const limit = maxFrame ?? 4 * 1024 * 1024;
  const recipe: string[] = [];
  let stream: Stream;
  const kind = rng.weighted<'random' | 'sp-random' | 'valid' | 'mutated'>([
    [10, 'random'],
    [10, 'sp-random'],
    [5, 'valid'],
    [75, 'mutated'],
  ]);
  recipe.push(kind);
  if (kind === 'random') {
    stream = moved(rng.bytes(rng.int(rng.chance(0.9) ? 64 : 2048)));
  } else if (kind === 'sp-random') {
    // A plausible header, then noise: gets past the magic check.
    const body = rng.bytes(rng.int(128));
    const header = Buffer.from([MAGIC_0, MAGIC_1, 0, 0, 0, 0]);
    header.writeUInt32BE(rng.chance(0.7) ? body.length : rng.int(2 ** 32), 2);
    stream = moved(Buffer.concat([header, body]));
  } else {
    stream = validStream(rng);
    if (kind === 'mutated') {
      const n = rng.weighted([
        [50, 1],
        [30, 2],
        [15, 3],
        [5, 6],
      ]);
      for (let i = 0; i < n; i++) {
        const [, name, mutate] = rng.weighted(MUTATIONS.map((m) => [m[0], m] as const));
        recipe.push(name);
        stream = mutate(rng, stream, limit);
      }
    }
  }
  return { seed, index, recipe, bytes: stream.bytes, cuts: cutsFor(rng, stream.bytes.length), maxFrame };
}
