import fc from 'fast-check';
import t from 'tap';
import { canonicalRecord } from '../../protocol/siteDigest.js';
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
