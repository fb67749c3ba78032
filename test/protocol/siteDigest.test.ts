import fc from 'fast-check';
import t from 'tap';
import { canonicalRecord, SiteDigest } from '../../protocol/siteDigest.js';
import { fcAssert } from '../helpers/fcRun.js';

/** The canonical text as first specified: sorted keys, JSON.stringify of every value. */
function reference(type: string, r: Record<string, unknown>): string {
  let s = type;
  for (const k of Object.keys(r).sort()) s += `\u0001${k}\u0002${JSON.stringify(r[k])}`;
  return s;
}

t.test('the fast canonical text equals the reference for any record, any unicode', async (t) => {
  const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  await fcAssert(
    t,
    fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), scalar, { maxKeys: 6 }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (fields, id, name) => {
      const r = { ...fields, id, name };
      return canonicalRecord('cardholders', r) === reference('cardholders', r);
    }),
  );
});

/** The digest as first specified: both FNV-1a lanes of the canonical text, summed per entity. */
function referenceDigest(records: Array<Record<string, unknown>>): string {
  let a = 0;
  let b = 0;
  for (const r of records) {
    const text = reference('cardholders', r);
    let ha = 0x811c9dc5;
    let hb = 0x050c5d1f;
    for (let i = 0; i < text.length; i++) {
      ha = Math.imul(ha ^ text.charCodeAt(i), 0x01000193);
      hb = Math.imul(hb ^ text.charCodeAt(i), 0x01000193);
    }
    a = (a + (ha >>> 0)) >>> 0;
    b = (b + (hb >>> 0)) >>> 0;
  }
  return `${records.length.toString(16)}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

t.test('the digest hashed piece by piece equals hashing the canonical text', async (t) => {
  const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.boolean(), fc.constant(null));
  const rec = fc.record({ id: fc.string({ unit: 'binary' }), name: fc.string({ unit: 'binary' }), a: scalar, b: scalar }, { requiredKeys: ['id', 'name'] });
  await fcAssert(
    t,
    fc.property(fc.array(rec, { maxLength: 8 }), (records) => {
      const d = new SiteDigest();
      for (const r of records) d.add('cardholders', r);
      return d.toString() === referenceDigest(records);
    }),
  );
});

t.test(
  'records of the same length and first key but other keys get their own canonical text ' +
    '(break: a cached key order matched on length and first key only -> the second record is hashed with the first one\'s keys)',
  (t) => {
    const a = { id: 'UN-1', name: 'Unit', address: 1 };
    const b = { id: 'UN-1', name: 'Unit', zone: 2 };
    const c = { id: 'UN-1', name: 'Unit', address: 1, zone: 2 };
    for (const r of [a, b, c, a, b]) t.equal(canonicalRecord('units', r), reference('units', r), Object.keys(r).join(','));
    const d = new SiteDigest();
    d.add('units', a);
    d.add('units', b);
    t.equal(d.toString(), referenceDigestOf([a, b]));
    t.end();
  },
);

function referenceDigestOf(records: Array<Record<string, unknown>>): string {
  let a = 0;
  let b = 0;
  for (const r of records) {
    const text = reference('units', r);
    let ha = 0x811c9dc5;
    let hb = 0x050c5d1f;
    for (let i = 0; i < text.length; i++) {
      ha = Math.imul(ha ^ text.charCodeAt(i), 0x01000193);
      hb = Math.imul(hb ^ text.charCodeAt(i), 0x01000193);
    }
    a = (a + (ha >>> 0)) >>> 0;
    b = (b + (hb >>> 0)) >>> 0;
  }
  return `${records.length.toString(16)}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

t.test(
  'string values at the edges of what JSON escapes hash as their JSON text ' +
    '(break: a lone surrogate \\ud800 or \\udfff, a quote, a backslash or \\u001f hashed raw instead of escaped)',
  (t) => {
    const edges = ['\u001f', ' ', '"', '\\', 'a"b', '\ud7ff', '\ud800', '\udfff', '\ue000', '\ud83d\ude00', 'x\ud800y', 'plain'];
    for (const v of edges) {
      const r = { id: 'CH-1', name: v };
      t.equal(canonicalRecord('cardholders', r), reference('cardholders', r), JSON.stringify(v));
      const d = new SiteDigest();
      d.add('cardholders', r);
      t.equal(d.toString(), referenceDigest([r]), `digest of ${JSON.stringify(v)}`);
    }
    t.end();
  },
);

t.test(
  'records whose keys are a prefix or an extension of the previous record\'s keys are hashed with their own keys ' +
    '(break: the previous record\'s shape reused when the first keys match)',
  (t) => {
    const short = { id: 'CH-1', name: 'A' };
    const long = { id: 'CH-1', name: 'A', extra: 1 };
    const other = { id: 'CH-1', name: 'B', zone: 'A' };
    const seq = [long, short, long, other, short, short];
    const d = new SiteDigest();
    for (const r of seq) d.add('cardholders', r);
    t.equal(d.toString(), referenceDigest(seq));
    const e = new SiteDigest();
    for (const r of seq) e.add('cardholders', r);
    for (const r of seq) e.remove('cardholders', r);
    t.equal(e.toString(), '0-0000000000000000', 'removing every record added gives the empty digest');
    t.end();
  },
);

t.test(
  'numbers and words hash as JSON.stringify writes them ' +
    '(break: -0 hashed as "-0", a digit order reversed, 2^53 or a fraction taken for a safe integer, true/false/null mixed up)',
  (t) => {
    const values = [0, -0, 7, -7, 10, 100, 1234567890, -9007199254740991, 9007199254740991, 9007199254740992, 1e21, -1e21, 1.5, -0.25, 1e-7, true, false, null];
    for (const v of values) {
      const r = { id: 'CH-1', name: 'A', v };
      const d = new SiteDigest();
      d.add('cardholders', r);
      t.equal(d.toString(), referenceDigest([r]), `value ${Object.is(v, -0) ? '-0' : JSON.stringify(v)}`);
    }
    const many = values.map((v, i) => ({ id: `CH-${i}`, name: 'A', v, w: values[values.length - 1 - i] ?? null }));
    const d = new SiteDigest();
    for (const r of many) d.add('cardholders', r);
    t.equal(d.toString(), referenceDigest(many), 'in one shape, one after the other');
    t.end();
  },
);
