import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { encodeMessage, encodePacked } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { Batch, Message } from '../../protocol/messages.js';
import { compiledBuilders, forgetBuilders, packBatch } from '../../protocol/packedBatch.js';
import { ProtocolError } from '../../protocol/protocolError.js';
import type { Scalar, SiPassRecord } from '../../protocol/sipassTypes.js';
import { HEADER_SIZE } from '../../protocol/version.js';
import { fcAssert } from '../helpers/fcRun.js';
import { arbNumber, arbScalar, arbSiPassType, arbText } from './arbitraryMessage.js';

const DEL = '\u007f';

function decodeOne(frame: Buffer): Message {
  const out = new FrameDecoder().push(frame);
  if (out.length !== 1) throw new Error(`expected one message, got ${out.length}`);
  return out[0] as Message;
}

/** The JSON payload of a frame, as the peer sees it on the wire. */
function payloadOf(frame: Buffer): Record<string, unknown> {
  return JSON.parse(frame.subarray(HEADER_SIZE).toString('utf8')) as Record<string, unknown>;
}

/** A frame of any JSON payload (hostile packed batches are written by hand). */
function frameOf(payload: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(payload), 'utf8');
  const header = Buffer.from([0x53, 0x50, 0, 0, 0, 0]);
  header.writeUInt32BE(json.length, 2);
  return Buffer.concat([header, json]);
}

function badMessage(payload: unknown): ProtocolError {
  try {
    new FrameDecoder().push(frameOf(payload));
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error(`accepted: ${JSON.stringify(payload)}`);
}

/** Field names with the awkward ones in: prototype names, digits (ordered first by JS), quotes, the separator. */
const arbKey = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'hasOwnProperty', '0', '17', '"', '\\', `a${DEL}b`, '__proto__') },
);
/** Values with the separator in some strings (that batch must go as items). */
const arbValue: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 8, arbitrary: arbScalar },
  { weight: 1, arbitrary: arbText.map((s) => `${s}${DEL}${s}`) },
  // Short strings of two letters: repeats and look-alikes for the decoder's cache of recent strings.
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 14 }) },
);

/** Batches whose records share one key list (packable unless a value or key says otherwise) or not. */
const arbBatch: fc.Arbitrary<Batch> = fc
  .record({
    id: fc.nat(),
    type: arbSiPassType,
    keys: fc.uniqueArray(arbKey, { maxLength: 6 }).map((ks) => ['id', 'name', ...ks.filter((k) => k !== 'id' && k !== 'name')]),
    rows: fc.array(fc.tuple(arbText, arbText, fc.array(arbValue, { minLength: 6, maxLength: 6 }), fc.boolean()), { minLength: 1, maxLength: 8 }),
    ragged: fc.boolean(),
  })
  .map(({ id, type, keys, rows, ragged }) => ({
    t: 'batch' as const,
    id,
    type,
    items: rows.map(([rid, name, values, dropLast]) => {
      const r: Record<string, Scalar> = {};
      // defineProperty: "__proto__" as an own field, as JSON.parse makes it.
      keys.forEach((k, i) => Object.defineProperty(r, k, { value: i === 0 ? rid : i === 1 ? name : values[i - 2], enumerable: true, writable: true, configurable: true }));
      if (ragged && dropLast && keys.length > 2) delete r[keys[keys.length - 1] as string];
      return r as SiPassRecord;
    }),
  }));

function packable(b: Batch): boolean {
  const keys = Object.keys(b.items[0] as object);
  if (keys.includes('__proto__')) return false;
  return b.items.every((r) => {
    const ks = Object.keys(r);
    return ks.length === keys.length && ks.every((k, i) => k === keys[i]) && Object.values(r).every((v) => typeof v !== 'string' || !v.includes(DEL));
  });
}

void t.test('a packed batch decodes to the same message as its items; it is packed exactly when it can be', async (t) => {
  await fcAssert(
    t,
    fc.property(arbBatch, (batch) => {
      const packedFrame = encodePacked(batch);
      const wire = payloadOf(packedFrame);
      const viaItems = decodeOne(encodeMessage(batch));
      const viaPacked = decodeOne(packedFrame);
      assert.deepStrictEqual(viaPacked, viaItems);
      assert.equal(JSON.stringify(viaPacked), JSON.stringify(viaItems), 'the same keys in the same order');
      for (const r of (viaPacked as Batch).items) if (Object.getPrototypeOf(r) !== Object.prototype) throw new Error('a record lost its prototype');
      const isPacked = typeof wire.values === 'string' && wire.items === undefined;
      if (isPacked !== packable(batch)) throw new Error(`packed: ${isPacked}, packable: ${packable(batch)}`);
    }),
    { numRuns: 300 },
  );
});

void t.test('numbers keep their value through the packed text', async (t) => {
  await fcAssert(
    t,
    fc.property(fc.array(fc.oneof(arbNumber, fc.constant(-0), fc.constant(1e21), fc.constant(5e-324), fc.constant(-1.5e-7)), { minLength: 1, maxLength: 20 }), (ns) => {
      const batch: Batch = { t: 'batch', id: 1, type: 'banks', items: ns.map((n, i) => ({ id: `BK-${i}`, name: `Bank ${i}`, floors: n })) };
      const got = (decodeOne(encodePacked(batch)) as Batch).items.map((r) => r.floors);
      // JSON writes -0 as 0; the packed text does the same.
      assert.deepStrictEqual(got, ns.map((n) => (Object.is(n, -0) ? 0 : n)));
    }),
  );
});

void t.test('the packed wire form: keys once, values tagged and separated by DEL', async (t) => {
  const batch: Batch = {
    t: 'batch',
    id: 4,
    type: 'workgroups',
    items: [
      { id: 'WG-1', name: 'Visitors 1', visitor: true, floor: 2, note: null },
      { id: 'WG-2', name: 'Staff 2', visitor: false, floor: -3.5, note: '' },
    ],
  };
  t.strictSame(payloadOf(encodePacked(batch)), {
    t: 'batch',
    id: 4,
    type: 'workgroups',
    keys: ['id', 'name', 'visitor', 'floor', 'note'],
    values: ['sWG-1', 'sVisitors 1', 't', 'n2', 'z', 'sWG-2', 'sStaff 2', 'f', 'n-3.5', 's'].join(DEL),
  });
  t.strictSame(packBatch({ ...batch, items: [] }), undefined, 'an empty batch is not packed');
  t.strictSame(payloadOf(encodeMessage(batch)).items, batch.items, 'encodeMessage never packs');
  const other: Message = { t: 'ping', n: 3 };
  t.strictSame(encodePacked(other), encodeMessage(other), 'only batches are packed');
  t.ok(encodePacked(batch).length < encodeMessage(batch).length, 'smaller on the wire');
});

void t.test('a bad packed batch is PROTO_BAD_MESSAGE naming the problem, never a crash', async (t) => {
  const base = { t: 'batch', id: 1, type: 'cardholders', keys: ['id', 'name', 'n'] };
  const cases: Array<[string, Record<string, unknown>, RegExp | string]> = [
    ['items and values', { ...base, values: `sA${DEL}sB${DEL}n1`, items: [] }, /both "items" and "values"/],
    ['keys missing', { t: 'batch', id: 1, type: 'cardholders', values: 'sA' }, /"keys"/],
    ['keys empty', { ...base, keys: [], values: '' }, /invalid field "keys"/],
    ['a key not a string', { ...base, keys: ['id', 'name', 3], values: `sA${DEL}sB${DEL}n1` }, /"keys"/],
    ['values not a string', { ...base, values: ['sA'] }, /"values"/],
    ['a repeated key', { ...base, keys: ['id', 'name', 'id'], values: `sA${DEL}sB${DEL}sC` }, /repeated key/],
    ['__proto__', { ...base, keys: ['id', 'name', '__proto__'], values: `sA${DEL}sB${DEL}z` }, /__proto__/],
    ['no name', { ...base, keys: ['id', 'n'], values: `sA${DEL}n1` }, /without "id" and "name"/],
    ['no id', { ...base, keys: ['name', 'n'], values: `sA${DEL}n1` }, /without "id" and "name"/],
    ['a leading separator', { ...base, values: `${DEL}sA${DEL}sB${DEL}n1` }, /bad value "" in record 1 \(at byte/],
    ['false with text', { ...base, values: `sA${DEL}sB${DEL}ffalse` }, /bad value "ffalse" in record 1 \(at byte/],
    ['null with text', { ...base, values: `sA${DEL}sB${DEL}znull` }, /bad value "znull" in record 1 \(at byte/],
    ['a one-letter unknown tag', { ...base, values: `sA${DEL}sB${DEL}x` }, /bad value "x" in record 1 \(at byte/],
    ['a long bad value, shown cut', { ...base, values: `sA${DEL}sB${DEL}${'q'.repeat(50)}` }, new RegExp(`bad value "${'q'.repeat(20)}" in record 1 \\(at byte`)],
    ['a bad second record', { ...base, values: `sA${DEL}sB${DEL}n1${DEL}sC${DEL}z${DEL}n2` }, /record \(2\) whose "id" or "name" is not a string/],
    ['empty values', { ...base, values: '' }, /bad value/],
    ['a record cut short', { ...base, values: `sA${DEL}sB${DEL}n1${DEL}sC${DEL}sD` }, /middle of record 2/],
    ['a trailing separator', { ...base, values: `sA${DEL}sB${DEL}n1${DEL}` }, /bad value "" in record 2/],
    ['an unknown tag', { ...base, values: `sA${DEL}sB${DEL}x1` }, /bad value "x1" in record 1/],
    ['true with text', { ...base, values: `sA${DEL}sB${DEL}true` }, /bad value "true"/],
    ['a numeric id', { ...base, values: `n1${DEL}sB${DEL}n1` }, /record \(1\) whose "id" or "name" is not a string/],
    ['a null name', { ...base, values: `sA${DEL}z${DEL}n1` }, /"id" or "name" is not a string/],
  ];
  for (const text of ['0x10', ' 1', '', 'NaN', 'Infinity', '1e21', '-0', '01', '1.0', '+1']) {
    cases.push([`number ${JSON.stringify(text)}`, { ...base, values: `sA${DEL}sB${DEL}n1${DEL}sC${DEL}sD${DEL}n${text}` }, `bad number ${JSON.stringify(text)} in record 2 (at byte`]);
  }
  for (const [label, payload, why] of cases) {
    const e = badMessage(payload);
    t.equal(e.code, 'PROTO_BAD_MESSAGE', label);
    if (typeof why === 'string') t.ok(e.message.includes(why), `${label}: ${e.message}`);
    else t.match(e.message, why, label);
  }
  t.strictSame(
    decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys: ['id', 'name'], values: `sA${DEL}sB`, extra: [1] })),
    { t: 'batch', id: 1, type: 'areas', extra: [1], items: [{ id: 'A', name: 'B' }] },
    'an unknown field is kept, as on a batch of items',
  );
  t.equal(badMessage({ t: 'batch', id: 'x', type: 'cardholders', keys: ['id', 'name'], values: `sA${DEL}sB` }).code, 'PROTO_BAD_MESSAGE', 'a packed batch is checked like any batch after unpacking (id)');
  t.equal(badMessage({ t: 'batch', id: 1, type: 'people', keys: ['id', 'name'], values: `sA${DEL}sB` }).code, 'PROTO_BAD_MESSAGE', '(type)');
});

void t.test('many key lists: every one decodes right past the builder cache, and prototype names stay own fields', async (t) => {
  for (let i = 0; i < 100; i++) {
    const keys = ['id', 'name', `field${i}`, 'constructor', 'toString'];
    const m = decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys, values: [`sAR-${i}`, `sArea ${i}`, `n${i}`, 'sc', 'f'].join(DEL) })) as Batch;
    const r = m.items[0] as SiPassRecord;
    if (i % 33 === 0 || i === 99) {
      t.strictSame(Object.keys(r), keys, `key list ${i}: the keys in order`);
      t.equal(r[`field${i}`], i, `key list ${i}: the value`);
      t.ok(Object.hasOwn(r, 'constructor') && (r.constructor as unknown) === 'c' && Object.getPrototypeOf(r) === Object.prototype, `key list ${i}: "constructor" is an own field`);
    }
  }
  // A key that would be code if it were pasted into the builder's source is only ever a string.
  const evil = 'a"]:0};globalThis.pwned=1;({"';
  const m = decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys: ['id', 'name', evil], values: ['sA', 'sB', 'n1'].join(DEL) })) as Batch;
  t.equal(m.items[0]?.[evil], 1, 'a key with quotes and code is a field name');
  t.equal((globalThis as Record<string, unknown>).pwned, undefined, 'and nothing ran');
});

void t.test('a hello may list batch encodings; anything but an array of strings is a bad message', async (t) => {
  const hello = { t: 'hello', v: 1, roleId: 'r', roleName: 'R', epoch: '', lastSeq: 0 };
  t.strictSame(decodeOne(frameOf({ ...hello, batchEncodings: ['packed', 'future'] })), { ...hello, batchEncodings: ['packed', 'future'] });
  for (const bad of ['packed', [1], ['packed', 1], null, {}]) {
    const e = badMessage({ ...hello, batchEncodings: bad });
    t.equal(e.code, 'PROTO_BAD_MESSAGE', `batchEncodings ${JSON.stringify(bad)}`);
    t.match(e.message, /"hello" has an invalid field "batchEncodings" \(an array of strings\)/);
  }
  t.strictSame(decodeOne(frameOf({ t: 'ping', n: 1, batchEncodings: 3 })), { t: 'ping', n: 1, batchEncodings: 3 }, 'only a hello\'s batchEncodings is checked');
});

void t.test('the server packs a batch only when the packed text gives back the same records', async (t) => {
  const ok = (items: Array<Record<string, unknown>>): boolean => packBatch({ t: 'batch', id: 1, type: 'units', items: items as SiPassRecord[] }) !== undefined;
  t.ok(ok([{ id: 'A', name: 'a', x: null, y: 1.5, z: true }, { id: 'B', name: 'b', x: 'q', y: -2, z: false }]), 'same keys, same order, scalars: packed');
  const proto: Record<string, unknown> = { id: 'A', name: 'a' };
  Object.defineProperty(proto, '__proto__', { value: 1, enumerable: true });
  const cases: Array<[string, Array<Record<string, unknown>>]> = [
    ['a "__proto__" field', [proto]],
    ['another key order', [{ id: 'A', name: 'a', x: 1 }, { name: 'b', id: 'B', x: 1 }]],
    ['a key more', [{ id: 'A', name: 'a' }, { id: 'B', name: 'b', x: 1 }]],
    ['a key less', [{ id: 'A', name: 'a', x: 1 }, { id: 'B', name: 'b' }]],
    ['another key', [{ id: 'A', name: 'a', x: 1 }, { id: 'B', name: 'b', y: 1 }]],
    ['DEL in a string', [{ id: 'A', name: `a${DEL}` }]],
    ['undefined', [{ id: 'A', name: 'a', x: undefined }]],
    ['an object', [{ id: 'A', name: 'a', x: {} }]],
    ['NaN', [{ id: 'A', name: 'a', x: NaN }]],
    ['Infinity', [{ id: 'A', name: 'a', x: -Infinity }]],
  ];
  for (const [label, items] of cases) t.notOk(ok(items), `${label}: not packed (it goes as items)`);
});

void t.test('a message other than a batch with a "values" field is that message (the field is ignored and kept)', async (t) => {
  t.strictSame(decodeOne(frameOf({ t: 'ping', n: 1, values: 'x', keys: 3 })), { t: 'ping', n: 1, values: 'x', keys: 3 });
  t.strictSame(decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys: ['name', 'id'], values: `sN${DEL}sI` })), { t: 'batch', id: 1, type: 'areas', items: [{ name: 'N', id: 'I' }] }, '"name" first is fine');
});

void t.test('a peer sending endless key lists compiles at most 64 builders; long key lists none', async (t) => {
  const decodeWith = (keys: string[]): SiPassRecord => {
    const values = keys.map((k) => (k === 'id' || k === 'name' ? `s${k}!` : 'n7')).join(DEL);
    return (decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys, values })) as Batch).items[0] as SiPassRecord;
  };
  const long = ['id', 'name', ...Array.from({ length: 255 }, (_, i) => `k${i}`)];
  forgetBuilders();
  const before = compiledBuilders();
  t.equal(before, 0);
  t.equal(decodeWith(long).k254, 7, '257 keys decode');
  t.equal(compiledBuilders(), before, 'with no builder compiled for them');
  t.equal(decodeWith(long.slice(0, 256)).k253, 7, '256 keys decode');
  t.equal(compiledBuilders(), before + 1, 'with a builder compiled');
  for (let i = 0; i < 100; i++) t.equal(decodeWith(['id', 'name', `only${i}`])[`only${i}`], 7);
  t.equal(compiledBuilders(), 64, 'the cache stops at 64');
  t.equal(decodeWith(['id', 'name', 'only0']).only0, 7, 'a cached list still decodes');
  t.equal(decodeWith(['id', 'name', 'later']).later, 7, 'and a list past the bound, by the slow builder');
  t.equal(compiledBuilders(), 64);
});

void t.test('short strings that look alike (same length, same first, middle and last letters) are never mixed up', async (t) => {
  // 5 letters: the cache looks at letters 0, 2 and 4 only, so these all share one slot.
  const alike = ['aXbYc', 'aZbWc', 'aXbYc', 'aQbQc', 'aZbWc', 'aXbYc', 'a\u00e9b\u00e8c', 'aXbYc'];
  const items = alike.map((v, i) => ({ id: `ID-${i}`, name: v, again: v, other: alike[(i + 1) % alike.length] as string }));
  const got = (decodeOne(encodePacked({ t: 'batch', id: 1, type: 'areas', items })) as Batch).items;
  t.strictSame(got, items, 'every value as sent');
  const lengths = ['', 'a', 'ab', 'abcdefghijkl', 'abcdefghijklm', 'abcdefghijklm'];
  const items2 = lengths.map((v, i) => ({ id: `ID-${i}`, name: v }));
  t.strictSame((decodeOne(encodePacked({ t: 'batch', id: 1, type: 'areas', items: items2 })) as Batch).items, items2, 'empty, short and longer than the cache takes');
});

void t.test('a cached string is handed out only for the same text: never a shorter prefix, never the text before it', async (t) => {
  // Black-box: every pair (a base, the base plus one more character) for every character, so whatever
  // slots the cache hashes to, some pair shares one; and every one-letter value right after the tag of
  // a batch's first value, after "s" was cut (the text before a value ends with its tag, "s").
  const names: string[] = [];
  for (const base of ['a', 'ab', 'abcdefghijk']) {
    for (let c = 0; c < 0x10000; c++) {
      if (c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) continue;
      names.push(base, base + String.fromCharCode(c));
    }
  }
  let wrong = 0;
  for (let from = 0; from < names.length; from += 40_000) {
    const items = names.slice(from, from + 40_000).map((name, i) => ({ id: `P-${from + i}`, name }));
    const got = (decodeOne(encodePacked({ t: 'batch', id: 1, type: 'areas', items })) as Batch).items;
    got.forEach((r, i) => (wrong += r.name === items[i]?.name ? 0 : 1));
  }
  t.equal(wrong, 0, `${names.length} names, each read back as sent`);
  let wrongFirst = 0;
  for (let c = 0x20; c < 0x3000; c++) {
    if (c === 0x7f) continue;
    decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys: ['name', 'id'], values: `ss${DEL}sX` }));
    const name = String.fromCharCode(c);
    const m = decodeOne(frameOf({ t: 'batch', id: 1, type: 'areas', keys: ['name', 'id'], values: `s${name}${DEL}sY` })) as Batch;
    wrongFirst += m.items[0]?.name === name ? 0 : 1;
  }
  t.equal(wrongFirst, 0, 'a one-letter first value after "s" was cut');
});
