import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import { MESSAGE_TYPES, type Message, type MessageType } from '../../protocol/messages.js';
import { ProtocolError, type ProtocolErrorCode } from '../../protocol/protocolError.js';
import { SIPASS_TYPES, type SiPassRecord, type SiPassType } from '../../protocol/sipassTypes.js';
import { canonicalRecord, SiteDigest } from '../../protocol/siteDigest.js';
import { messageProblem } from '../../protocol/validateMessage.js';
import { DEFAULT_MAX_FRAME, HEADER_SIZE } from '../../protocol/version.js';
import { fcAssert } from '../helpers/fcRun.js';
import { arbitraryMessage, arbitraryMessageOf, arbRecord, arbSiPassType, messageArbitraries } from './arbitraryMessage.js';

const PROTOCOL_ERROR_CODES: readonly ProtocolErrorCode[] = [
  'PROTO_BAD_MAGIC',
  'PROTO_FOREIGN_PROTOCOL',
  'PROTO_FRAME_TOO_LARGE',
  'PROTO_BAD_JSON',
  'PROTO_BAD_MESSAGE',
  'PROTO_VERSION_MISMATCH',
  'PROTO_UNEXPECTED',
  'PROTO_TRUNCATED',
];

/** One hand-written message of every type (the mapped type makes a missing one a compile error). */
const EXAMPLES: { [K in MessageType]: Extract<Message, { t: K }> } = {
  hello: { t: 'hello', v: 1, roleId: 'role-A', roleName: 'SiPass A', epoch: '', lastSeq: 0 },
  welcome: { t: 'welcome', v: 1, server: 'fake SiPass proxy', site: 'site-1', epoch: 'e1', seq: 42 },
  syncRequest: { t: 'syncRequest', id: 3, mode: 'full', types: ['cardholders', 'workgroups'] },
  syncBegin: { t: 'syncBegin', id: 3, totals: { cardholders: 2, workgroups: 1 } },
  batch: {
    t: 'batch',
    id: 3,
    type: 'cardholders',
    items: [
      { id: 'CH-1', name: 'Anna Adler 1', firstName: 'Anna', lastName: 'Adler', workgroupId: 'WG-1' },
      { id: 'CH-2', name: 'Zoë Ünal 2 ✓', firstName: 'Zoë', lastName: 'Ünal', workgroupId: null },
    ],
  },
  syncEnd: { t: 'syncEnd', id: 3, counts: { cardholders: 2, workgroups: 1 }, digest: '3-0123456789abcdef' },
  activeAlarms: { t: 'activeAlarms', occurrences: [{ occurrenceId: 'OCC-1', alarmClassId: 'AC-2', at: 1000, acknowledged: false }] },
  change: { t: 'change', seq: 43, op: 'update', type: 'doorsets', id: 'DS-1', entity: { id: 'DS-1', name: 'Lobby door 1', lock: 'maglock' } },
  alarm: { t: 'alarm', seq: 44, occurrenceId: 'OCC-2', alarmClassId: 'AC-1', at: 1234.5 },
  alarmAck: { t: 'alarmAck', seq: 45, occurrenceId: 'OCC-2', by: 'SiPass operator' },
  alarmClear: { t: 'alarmClear', seq: 46, occurrenceId: 'OCC-2' },
  event: { t: 'event', seq: 47, eventId: 'EV-47', eventTypeId: 'ET-1', at: 2000, source: 'Reader RD-1' },
  ack: { t: 'ack', seq: 47 },
  scAck: { t: 'scAck', requestId: 'role-A-ack-1', occurrenceId: 'OCC-1', user: 'admin' },
  scAckResult: { t: 'scAckResult', requestId: 'role-A-ack-1', ok: false, reason: 'alarm occurrence "OCC-1" is not active' },
  command: { t: 'command', requestId: 'role-A-cmd-1', entityType: 'units', entityId: 'UN-1', action: 'pulse', operator: 'alice', output: 2, pattern: 'slow' },
  commandResult: { t: 'commandResult', requestId: 'role-A-cmd-1', ok: false, reason: 'units "UN-9" does not exist in SiPass' },
  ping: { t: 'ping', n: 7 },
  pong: { t: 'pong', n: 7 },
  error: { t: 'error', code: 'PROTO_VERSION_MISMATCH', message: 'version 2 is not spoken here', fatal: true },
};

/** Fields a message may lack (everything else the decoder requires). */
const OPTIONAL_FIELDS: Partial<Record<MessageType, readonly string[]>> = { scAckResult: ['reason'], commandResult: ['reason'], command: ['output', 'pattern'] };

/** A frame around an arbitrary payload (valid or not). */
function rawFrame(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.from([0x53, 0x50, 0, 0, 0, 0]);
  header.writeUInt32BE(body.length, 2);
  return Buffer.concat([header, body]);
}

function decodeAll(bytes: Uint8Array, decoder = new FrameDecoder()): Message[] {
  const out = decoder.push(bytes);
  if (decoder.end() !== undefined) throw new Error('unexpected trailing bytes');
  return out;
}

/** Runs fn and returns the ProtocolError it throws (failing the test if it throws nothing or something else). */
function protocolErrorOf(fn: () => unknown): ProtocolError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw new Error(`expected a ProtocolError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a ProtocolError, nothing was thrown');
}

/** Splits `bytes` at the given cut points (any order, duplicates and out-of-range values allowed). */
function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(prev, p));
    prev = p;
  }
  return chunks;
}

/**
 * Feeds chunks to a fresh decoder. Returns the decoded messages and the
 * error, checking on the way that only ProtocolErrors escape, and that a
 * failed decoder stays failed.
 */
function feed(chunks: readonly Uint8Array[], maxFrame?: number): { messages: Message[]; error: ProtocolError | undefined } {
  const decoder = new FrameDecoder(maxFrame !== undefined ? { maxFrame } : {});
  const messages: Message[] = [];
  let error: ProtocolError | undefined;
  for (const c of chunks) {
    try {
      messages.push(...decoder.push(c));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw new Error(`a non-ProtocolError escaped the decoder: ${String(e)}`, { cause: e });
      error = e;
      break;
    }
  }
  if (error === undefined) {
    error = decoder.end();
    if (error !== undefined && error.code !== 'PROTO_TRUNCATED') throw new Error(`end() returned ${error.code}`);
  } else {
    // Poisoned: every later push throws the same error, and end() reports it.
    const again = protocolErrorOf(() => decoder.push(encodeMessage({ t: 'ping', n: 1 })));
    if (again !== error) throw new Error('a failed decoder accepted more input');
    if (decoder.end() !== error) throw new Error('end() on a failed decoder does not report the failure');
  }
  return { messages, error };
}

/** Checks what an error says about the stream it came from. */
function checkError(error: ProtocolError, bytes: Buffer): string | undefined {
  if (!PROTOCOL_ERROR_CODES.includes(error.code)) return `unknown code ${error.code}`;
  if (typeof error.offset !== 'number' || !Number.isInteger(error.offset)) return `offset ${String(error.offset)} is not an integer`;
  if (error.offset < 0 || error.offset > bytes.length) return `offset ${error.offset} outside the ${bytes.length}-byte stream`;
  const isFrameStart = bytes[error.offset] === 0x53 && bytes[error.offset + 1] === 0x50;
  switch (error.code) {
    case 'PROTO_BAD_MAGIC':
    case 'PROTO_FOREIGN_PROTOCOL':
      if (isFrameStart) return `${error.code} at offset ${error.offset} where the stream has "SP"`;
      break;
    case 'PROTO_FRAME_TOO_LARGE':
    case 'PROTO_BAD_JSON':
    case 'PROTO_BAD_MESSAGE':
      if (!isFrameStart) return `${error.code} at offset ${error.offset}, which is not a frame start`;
      break;
    case 'PROTO_TRUNCATED':
      if (!isFrameStart && error.offset !== bytes.length - 1) return `PROTO_TRUNCATED at offset ${error.offset}, not a frame start`;
      break;
    default:
      return `the decoder raised ${error.code}`;
  }
  if (!error.message.includes(`at byte ${error.offset}`)) return `message does not name the offset: ${error.message}`;
  return undefined;
}

void t.test('every message type has a hand-written example that survives encode/decode', (t) => {
  t.same(Object.keys(EXAMPLES).sort(), [...MESSAGE_TYPES].sort(), 'examples cover exactly MESSAGE_TYPES');
  t.same(Object.keys(messageArbitraries).sort(), [...MESSAGE_TYPES].sort(), 'arbitraries cover exactly MESSAGE_TYPES');
  for (const type of MESSAGE_TYPES) {
    const m = EXAMPLES[type];
    t.equal(messageProblem(m), undefined, `${type}: the example is valid`);
    const frame = encodeMessage(m);
    t.equal(frame.readUInt32BE(2), frame.length - HEADER_SIZE, `${type}: the header holds the payload length`);
    t.equal(frame.subarray(0, 2).toString('latin1'), 'SP', `${type}: the frame starts with "SP"`);
    t.strictSame(decodeAll(frame), [m], `${type}: decode(encode(m)) equals m`);
  }
  // Also every example in one stream.
  const all = MESSAGE_TYPES.map((type) => EXAMPLES[type]);
  t.strictSame(decodeAll(Buffer.concat(all.map(encodeMessage))), all, 'all examples in one stream');
  t.end();
});

void t.test('the payload is UTF-8 JSON and the length counts bytes, not characters', (t) => {
  const m: Message = { t: 'error', code: 'X', message: 'Zoë ✓ 😀 \ud800', fatal: false };
  const frame = encodeMessage(m);
  const payload = frame.subarray(HEADER_SIZE);
  t.equal(frame.readUInt32BE(2), payload.length);
  t.ok(payload.length > JSON.stringify(m).length, 'multi-byte characters take several bytes');
  t.strictSame(JSON.parse(payload.toString('utf8')), m, 'the payload is the JSON of the message');
  t.strictSame(decodeAll(frame), [m], 'a lone surrogate survives (JSON.stringify escapes it)');
  t.end();
});

void t.test('removing a required field makes any message PROTO_BAD_MESSAGE', (t) => {
  for (const type of MESSAGE_TYPES) {
    const m = EXAMPLES[type] as unknown as Record<string, unknown>;
    for (const field of Object.keys(m)) {
      const copy = { ...m };
      delete copy[field];
      const frame = rawFrame(JSON.stringify(copy));
      if (OPTIONAL_FIELDS[type]?.includes(field)) {
        t.strictSame(decodeAll(frame), [copy], `${type} without optional "${field}" is accepted`);
        continue;
      }
      const e = protocolErrorOf(() => new FrameDecoder().push(frame));
      t.equal(e.code, 'PROTO_BAD_MESSAGE', `${type} without "${field}"`);
      t.equal(e.offset, 0);
    }
  }
  t.end();
});

void t.test('property: encode/decode identity for generated messages of every type', async (t) => {
  for (const type of MESSAGE_TYPES) {
    await t.test(type, async (t) => {
      await fcAssert(
        t,
        fc.property(arbitraryMessageOf(type), (m) => {
          assert.equal(m.t, type);
          assert.equal(messageProblem(m), undefined, 'the arbitrary generates valid messages');
          assert.deepStrictEqual(decodeAll(encodeMessage(m)), [m]);
        }),
      );
    });
  }
});

void t.test('property: any split of a multi-frame stream decodes to the same messages', async (t) => {
  const arbStream = fc.array(arbitraryMessage, { minLength: 1, maxLength: 8 });
  await fcAssert(
    t,
    fc.property(arbStream, fc.array(fc.nat(), { maxLength: 40 }), (messages, cuts) => {
      const bytes = Buffer.concat(messages.map(encodeMessage));
      const whole = feed([bytes]);
      const split = feed(splitAt(bytes, cuts));
      assert.equal(whole.error, undefined);
      assert.equal(split.error, undefined);
      assert.deepStrictEqual(whole.messages, messages);
      assert.deepStrictEqual(split.messages, messages);
    }),
  );
  await t.test('one byte at a time', async (t) => {
    await fcAssert(
      t,
      fc.property(arbStream, (messages) => {
        const bytes = Buffer.concat(messages.map(encodeMessage));
        const decoder = new FrameDecoder();
        const out: Message[] = [];
        for (let i = 0; i < bytes.length; i++) {
          out.push(...decoder.push(bytes.subarray(i, i + 1)));
          // Nothing is returned before a frame's last byte, and the buffer never holds more than one frame.
          if (decoder.buffered > 0 && decoder.buffered > bytes.length) return false;
        }
        return decoder.end() === undefined && decoder.buffered === 0 && decoder.frames === messages.length && decoder.bytes === bytes.length && JSON.stringify(out) === JSON.stringify(messages);
      }),
      { numRuns: 30 },
    );
  });
  await t.test('plain Uint8Array chunks (not Buffers) with an offset into a larger buffer', async (t) => {
    await fcAssert(
      t,
      fc.property(arbStream, fc.nat({ max: 64 }), (messages, pad) => {
        const bytes = Buffer.concat(messages.map(encodeMessage));
        const backing = new Uint8Array(bytes.length + 2 * pad);
        backing.set(bytes, pad);
        const view = new Uint8Array(backing.buffer, pad, bytes.length);
        const mid = Math.floor(bytes.length / 2);
        const r = feed([view.subarray(0, mid), view.subarray(mid)]);
        return r.error === undefined && JSON.stringify(r.messages) === JSON.stringify(messages);
      }),
      { numRuns: 50 },
    );
  });
});

type Mutation = { kind: 'flip'; pos: number; bit: number } | { kind: 'set' | 'insert'; pos: number; byte: number } | { kind: 'delete'; pos: number };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constantFrom('set' as const, 'insert' as const), pos: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat() }),
);

function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  const b = [...bytes];
  for (const m of mutations) {
    const pos = b.length === 0 ? 0 : m.pos % (m.kind === 'insert' ? b.length + 1 : b.length);
    switch (m.kind) {
      case 'flip':
        if (b.length > 0) b[pos] = (b[pos] ?? 0) ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[pos] = m.byte;
        break;
      case 'insert':
        b.splice(pos, 0, m.byte);
        break;
      case 'delete':
        b.splice(pos, 1);
        break;
    }
  }
  return Buffer.from(b);
}

void t.test('property: malformed input only ever raises a ProtocolError with a code and an offset', async (t) => {
  await t.test('random bytes', async (t) => {
    const arbBytes = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Random bytes behind a plausible header, so the length and JSON paths are reached too.
      fc.tuple(fc.nat({ max: 300 }), fc.uint8Array({ maxLength: 200 })).map(([len, body]) => {
        const h = Buffer.from([0x53, 0x50, 0, 0, 0, 0]);
        h.writeUInt32BE(len, 2);
        return new Uint8Array(Buffer.concat([h, body]));
      }),
    );
    await fcAssert(
      t,
      fc.property(arbBytes, fc.array(fc.nat(), { maxLength: 10 }), (raw, cuts) => {
        const bytes = Buffer.from(raw);
        const r = feed(splitAt(bytes, cuts), 256);
        if (r.messages.some((m) => messageProblem(m) !== undefined)) return false;
        if (r.error === undefined) return true;
        const problem = checkError(r.error, bytes);
        if (problem !== undefined) throw new Error(problem);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  await t.test('mutated valid frames', async (t) => {
    await fcAssert(
      t,
      fc.property(
        fc.array(arbitraryMessage, { minLength: 1, maxLength: 3 }),
        fc.array(arbMutation, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (messages, mutations, cuts) => {
          const bytes = mutate(Buffer.concat(messages.map(encodeMessage)), mutations);
          const whole = feed([bytes]);
          const split = feed(splitAt(bytes, cuts));
          for (const r of [whole, split]) {
            if (r.messages.some((m) => messageProblem(m) !== undefined)) throw new Error('an invalid message was returned');
            if (r.error !== undefined) {
              const problem = checkError(r.error, bytes);
              if (problem !== undefined) throw new Error(problem);
            }
          }
          // The chunking does not move the error (the code may be a BAD_MAGIC/FOREIGN pair, see the report).
          return (whole.error === undefined) === (split.error === undefined) && whole.error?.offset === split.error?.offset;
        },
      ),
      { numRuns: 300 },
    );
  });
});

void t.test('an oversize length header is rejected from the 6-byte header alone', (t) => {
  const allocations: number[] = [];
  const names = ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const;
  const saved = names.map((n) => [n, Object.getOwnPropertyDescriptor(Buffer, n)] as const);
  const restore = (): void => {
    for (const [n, d] of saved) if (d) Object.defineProperty(Buffer, n, d);
  };
  t.teardown(restore);

  const header = (len: number): Buffer => {
    const h = Buffer.from([0x53, 0x50, 0, 0, 0, 0]);
    h.writeUInt32BE(len, 2);
    return h;
  };

  // Record the size of every buffer allocated while the decoder works.
  for (const [n, d] of saved) {
    const original = d?.value as (size: number, ...rest: unknown[]) => Buffer;
    Object.defineProperty(Buffer, n, { ...d, value: (size: number, ...rest: unknown[]): Buffer => (allocations.push(size), original.call(Buffer, size, ...rest)) });
  }
  const d1 = new FrameDecoder();
  const e1 = protocolErrorOf(() => d1.push(header(0xffffffff)));
  // The header split over several pushes, after a good frame.
  const good = encodeMessage({ t: 'ping', n: 1 });
  const d2 = new FrameDecoder({ maxFrame: 32 });
  const before = d2.push(good.subarray(0, 3));
  const firstFrame = d2.push(good.subarray(3));
  const h = header(33);
  t.strictSame(d2.push(h.subarray(0, 1)), []);
  t.strictSame(d2.push(h.subarray(1, 4)), []);
  const e2 = protocolErrorOf(() => d2.push(h.subarray(4)));
  restore();

  t.equal(e1.code, 'PROTO_FRAME_TOO_LARGE', '0xFFFFFFFF');
  t.equal(e1.offset, 0);
  t.match(e1.message, /4294967295/, 'the message names the announced size');
  t.match(e1.message, new RegExp(String(DEFAULT_MAX_FRAME)), 'and the limit');
  t.strictSame(before, []);
  t.strictSame(firstFrame, [{ t: 'ping', n: 1 }]);
  t.equal(e2.code, 'PROTO_FRAME_TOO_LARGE', 'maxFrame + 1 with maxFrame 32');
  t.equal(e2.offset, good.length, 'offset is the start of the oversize frame in the stream');
  t.ok(allocations.length > 0, 'the allocation spy saw the decoder join chunks (it is live)');
  t.ok(Math.max(0, ...allocations) <= 64, `no buffer near the announced size was allocated (largest: ${Math.max(0, ...allocations)})`);

  // The boundary: exactly maxFrame bytes is accepted.
  const payload = JSON.stringify({ t: 'ping', n: 2 });
  const exact = rawFrame(payload.padEnd(64, ' '));
  t.strictSame(decodeAll(exact, new FrameDecoder({ maxFrame: 64 })), [{ t: 'ping', n: 2 }], 'a payload of exactly maxFrame bytes decodes');
  const over = rawFrame(payload.padEnd(65, ' '));
  t.equal(protocolErrorOf(() => new FrameDecoder({ maxFrame: 64 }).push(over.subarray(0, HEADER_SIZE))).code, 'PROTO_FRAME_TOO_LARGE', 'maxFrame + 1 is not');
  t.equal(new FrameDecoder().maxFrame, DEFAULT_MAX_FRAME, 'the default limit is 4 MiB');
  t.equal(DEFAULT_MAX_FRAME, 4 * 1024 * 1024);
  t.end();
});

void t.test('foreign protocols, bad magic, bad JSON, bad messages, truncation', async (t) => {
  await t.test('an HTTP request is PROTO_FOREIGN_PROTOCOL', (t) => {
    const e = protocolErrorOf(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1:5645\r\n\r\n', 'latin1')));
    t.equal(e.code, 'PROTO_FOREIGN_PROTOCOL');
    t.equal(e.offset, 0);
    t.match(e.message, /HTTP/);
    for (const [text, name] of [
      ['SSH-2.0-OpenSSH_9.6\r\n', 'SSH'],
      ['\u0016\u0003\u0001\u0002\u0000', 'TLS'],
      ['HTTP/1.1 200 OK\r\n', 'HTTP'],
    ] as const) {
      const f = protocolErrorOf(() => new FrameDecoder().push(Buffer.from(text, 'latin1')));
      t.equal(f.code, 'PROTO_FOREIGN_PROTOCOL', name);
      t.match(f.message, name);
    }
    t.end();
  });

  await t.test('bad magic after one good frame names the absolute offset', (t) => {
    const good = encodeMessage(EXAMPLES.hello);
    const bad = Buffer.from([0x12, 0x34, 0, 0, 0, 2, 0x7b, 0x7d]);
    const e = protocolErrorOf(() => new FrameDecoder().push(Buffer.concat([good, bad])));
    t.equal(e.code, 'PROTO_BAD_MAGIC');
    t.equal(e.offset, good.length);
    t.match(e.message, /0x1234/);
    // The same across pushes: the decoder counts the bytes it consumed.
    const d = new FrameDecoder();
    t.strictSame(d.push(good), [EXAMPLES.hello]);
    const e2 = protocolErrorOf(() => d.push(bad));
    t.equal(e2.code, 'PROTO_BAD_MAGIC');
    t.equal(e2.offset, good.length);
    t.equal(protocolErrorOf(() => d.push(good)), e2, 'after an error the decoder keeps throwing the same error');
    t.equal(d.end(), e2, 'and end() reports it');
    t.end();
  });

  await t.test('bad JSON is PROTO_BAD_JSON', (t) => {
    const good = encodeMessage(EXAMPLES.ping);
    for (const payload of ['{"t":"ping","n":', '', 'not json', '{"t":"ping","n":1}}']) {
      const e = protocolErrorOf(() => new FrameDecoder().push(Buffer.concat([good, rawFrame(payload)])));
      t.equal(e.code, 'PROTO_BAD_JSON', JSON.stringify(payload));
      t.equal(e.offset, good.length);
    }
    const invalidUtf8 = protocolErrorOf(() => new FrameDecoder().push(rawFrame(Buffer.from([0x22, 0xff, 0xfe]))));
    t.equal(invalidUtf8.code, 'PROTO_BAD_JSON', 'invalid UTF-8 inside a string is decoded as U+FFFD, an unterminated string stays bad JSON');
    t.end();
  });

  await t.test('well-formed JSON that is not a message is PROTO_BAD_MESSAGE', (t) => {
    const cases: Array<[string, unknown]> = [
      ['unknown t', { t: 'nope', n: 1 }],
      ['missing t', { n: 1 }],
      ['t not a string', { t: 1 }],
      ['missing field', { t: 'hello', v: 1, roleId: 'r', roleName: 'r', epoch: '' }],
      ['wrong field type', { t: 'ping', n: '1' }],
      ['unknown SiPass type', { t: 'batch', id: 1, type: 'people', items: [] }],
      ['record without name', { t: 'batch', id: 1, type: 'units', items: [{ id: 'UN-1' }] }],
      ['count under an unknown type', { t: 'syncBegin', id: 1, totals: { people: 1 } }],
      ['change add without entity', { t: 'change', seq: 1, op: 'add', type: 'units', id: 'UN-1' }],
      ['bad op', { t: 'change', seq: 1, op: 'upsert', type: 'units', id: 'UN-1', entity: { id: 'UN-1', name: 'x' } }],
      ['bad mode', { t: 'syncRequest', id: 1, mode: 'partial', types: [] }],
      ['array payload', [1, 2]],
      ['null payload', null],
      ['string payload', 'hello'],
    ];
    for (const [label, value] of cases) {
      const e = protocolErrorOf(() => new FrameDecoder().push(rawFrame(JSON.stringify(value))));
      t.equal(e.code, 'PROTO_BAD_MESSAGE', label);
      t.equal(e.offset, 0);
    }
    t.strictSame(decodeAll(rawFrame(JSON.stringify({ t: 'change', seq: 1, op: 'delete', type: 'units', id: 'UN-1' }))).length, 1, 'a delete needs no entity');
    t.strictSame(decodeAll(rawFrame(JSON.stringify({ ...EXAMPLES.ping, extra: [1] }))), [{ ...EXAMPLES.ping, extra: [1] }], 'unknown extra fields are tolerated');
    t.end();
  });

  await t.test('end() inside a frame is PROTO_TRUNCATED at the start of that frame', (t) => {
    const good = encodeMessage(EXAMPLES.welcome);
    const next = encodeMessage(EXAMPLES.ping);
    for (const cut of [1, 2, HEADER_SIZE - 1, HEADER_SIZE, next.length - 1]) {
      const d = new FrameDecoder();
      t.strictSame(d.push(Buffer.concat([good, next.subarray(0, cut)])), [EXAMPLES.welcome]);
      t.equal(d.buffered, cut);
      const e = d.end();
      t.ok(e instanceof ProtocolError, `cut after ${cut} bytes`);
      t.equal(e?.code, 'PROTO_TRUNCATED');
      t.equal(e?.offset, good.length);
      t.equal(d.end(), e, 'end() is stable');
      t.equal(protocolErrorOf(() => d.push(next.subarray(cut))), e, 'no more input after a truncation');
    }
    const clean = new FrameDecoder();
    clean.push(good);
    t.equal(clean.end(), undefined, 'end() between frames is clean');
    t.equal(new FrameDecoder().end(), undefined, 'an empty stream is clean');
    t.end();
  });
});

/** The digest algorithm as docs/protocol.md describes it, written independently. */
function referenceDigest(entries: ReadonlyArray<readonly [SiPassType, SiPassRecord]>): string {
  const fnv = (s: string, basis: number): number => {
    let h = basis;
    for (const unit of s.split('').map((c) => c.charCodeAt(0))) h = Math.imul(h ^ unit, 16777619);
    return h >>> 0;
  };
  let a = 0;
  let b = 0;
  for (const [type, r] of entries) {
    const text = type + Object.keys(r).sort().map((k) => `\u0001${k}\u0002${JSON.stringify(r[k])}`).join('');
    a = (a + fnv(text, 2166136261)) % 2 ** 32;
    b = (b + fnv(text, 0x050c5d1f)) % 2 ** 32;
  }
  const hex = (n: number): string => n.toString(16).padStart(8, '0');
  return `${entries.length.toString(16)}-${hex(a)}${hex(b)}`;
}

function digestOf(entries: ReadonlyArray<readonly [SiPassType, SiPassRecord]>): string {
  const d = new SiteDigest();
  for (const [type, r] of entries) d.add(type, r);
  return d.toString();
}

void t.test('SiteDigest', async (t) => {
  const arbEntries = fc.array(fc.tuple(arbSiPassType, arbRecord), { maxLength: 30 });

  t.equal(new SiteDigest().toString(), '0-0000000000000000', 'the empty digest');
  const r: SiPassRecord = { id: 'CH-1', name: 'Anna Adler 1', firstName: 'Anna', workgroupId: null };
  t.equal(canonicalRecord('cardholders', r), 'cardholders\u0001firstName\u0002"Anna"\u0001id\u0002"CH-1"\u0001name\u0002"Anna Adler 1"\u0001workgroupId\u0002null');
  t.not(digestOf([['cardholders', r]]), digestOf([['cardholders', { ...r, firstName: 'Ben' }]]), 'a field value counts');
  t.not(digestOf([['cardholders', r]]), digestOf([['workgroups', r]]), 'the type counts');
  t.not(digestOf([['cardholders', r]]), digestOf([['cardholders', { ...r, extra: null }]]), 'an extra field counts');

  await t.test('matches the documented algorithm', async (t) => {
    await fcAssert(t, fc.property(arbEntries, (entries) => digestOf(entries) === referenceDigest(entries)));
  });

  await t.test('is order-independent', async (t) => {
    await fcAssert(
      t,
      fc.property(
        arbEntries.chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }))),
        ([entries, shuffled]) => digestOf(entries) === digestOf(shuffled),
      ),
    );
  });

  await t.test('add then remove returns to the previous digest', async (t) => {
    await fcAssert(
      t,
      fc.property(arbEntries, arbEntries, (base, extra) => {
        const d = new SiteDigest();
        for (const [type, rec] of base) d.add(type, rec);
        const before = d.toString();
        for (const [type, rec] of extra) d.add(type, rec);
        if (extra.length > 0 && d.toString() === before) return false;
        for (const [type, rec] of [...extra].reverse()) d.remove(type, rec);
        if (d.toString() !== before || d.count !== base.length) return false;
        for (const [type, rec] of base) d.remove(type, rec);
        return d.toString() === '0-0000000000000000';
      }),
    );
  });

  await t.test('field order inside a record does not matter', async (t) => {
    await fcAssert(
      t,
      fc.property(arbSiPassType, arbRecord, fc.infiniteStream(fc.double()), (type, rec, rnd) => {
        const keys = Object.keys(rec);
        const order = [...keys].sort(() => (rnd.next().value < 0.5 ? -1 : 1));
        const reordered = Object.fromEntries(order.map((k) => [k, rec[k]])) as SiPassRecord;
        return canonicalRecord(type, reordered) === canonicalRecord(type, rec) && digestOf([[type, reordered]]) === digestOf([[type, rec]]);
      }),
    );
    const a: SiPassRecord = { id: 'DS-1', name: 'Lobby door 1', readerA: 'RD-1', readerB: 'RD-2', lock: 'strike' };
    const b: SiPassRecord = { lock: 'strike', readerB: 'RD-2', name: 'Lobby door 1', readerA: 'RD-1', id: 'DS-1' };
    t.equal(digestOf([['doorsets', a]]), digestOf([['doorsets', b]]), 'hand-written reordering');
  });

  await t.test('survives the wire: the digest of decoded records equals the digest of the sent ones', async (t) => {
    await fcAssert(
      t,
      fc.property(arbEntries, (entries) => {
        const decoded = decodeAll(Buffer.concat(entries.map(([type, rec], i) => encodeMessage({ t: 'batch', id: i, type, items: [rec] }))));
        const received = decoded.flatMap((m) => (m.t === 'batch' ? m.items.map((it) => [m.type, it] as const) : []));
        return digestOf(received) === digestOf(entries);
      }),
    );
  });
  t.ok(SIPASS_TYPES.length === 10);
});

void t.test('fcAssert: prints the seed, replays it, and reports seed and path on failure', async (t) => {
  // Run under a known environment, whatever the caller set.
  const keys = ['FC_SEED', 'FC_NUM_RUNS', 'FC_PATH'] as const;
  const saved = keys.map((k) => [k, process.env[k]] as const);
  t.teardown(() => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  delete process.env.FC_PATH;
  process.env.FC_NUM_RUNS = '2';
  process.env.FC_SEED = '12345';
  const comments: string[] = [];
  const sink = { comment: (...m: unknown[]) => comments.push(m.map(String).join(' ')) };
  const runOnce = async (): Promise<number[]> => {
    const seen: number[] = [];
    await fcAssert(sink, fc.property(fc.integer(), (n) => void seen.push(n)), { numRuns: 5 });
    return seen;
  };
  const first = await runOnce();
  const second = await runOnce();
  t.equal(first.length, 10, 'numRuns (5) is scaled by FC_NUM_RUNS (2)');
  t.strictSame(first, second, 'the same FC_SEED generates the same values');
  t.match(comments[0], /^fast-check seed=12345\b/, 'the seed is printed before running');

  const failing = fcAssert(sink, fc.property(fc.nat(), (n) => n < 10));
  await t.rejects(failing, { message: /seed=12345/ }, 'the failure names the seed');
  await failing.catch((e: unknown) => {
    const message = e instanceof Error ? e.message : '';
    t.match(message, /seed: 12345/, "fast-check's report (seed) is kept");
    t.match(message, /path: "/, "fast-check's report (path) is kept");
    t.match(message, /Counterexample: \[10\]/, 'and the shrunk counterexample');
  });
});
