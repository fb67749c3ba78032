import type { SiPassRecord, SiPassType } from './sipassTypes.js';

/** Both FNV-1a lanes in one pass over the text (the digest runs once per entity on both sides). */
function fnv1aPair(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [a >>> 0, b >>> 0];
}

// Records of one type share their key order, so the sorted order is cached per
// key sequence instead of sorting a million times (a hot path of a large sync).
const sortedKeysCache = new Map<string, string[]>();
// Anything JSON.stringify would escape (quotes, backslash, controls, lone surrogates) takes the slow path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function sortedKeys(r: SiPassRecord): string[] {
  const keys = Object.keys(r);
  const shape = keys.join('\u0001');
  let sorted = sortedKeysCache.get(shape);
  if (sorted === undefined) {
    sorted = [...keys].sort();
    if (sortedKeysCache.size < 1024) sortedKeysCache.set(shape, sorted);
  }
  return sorted;
}

/** JSON text of a scalar, without JSON.stringify's cost for the plain strings most fields are. */
function scalarJson(v: unknown): string {
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
  return JSON.stringify(v) ?? 'null';
}

/** Canonical text of a record: keys sorted, so field order on the wire does not matter. */
export function canonicalRecord(type: SiPassType, r: SiPassRecord): string {
  let s: string = type;
  for (const k of sortedKeys(r)) s += `\u0001${k}\u0002${scalarJson(r[k])}`;
  return s;
}

/**
 * An order-independent digest of a set of entities: two 32-bit lanes of
 * per-entity hashes, summed. Both sides compute it (the server over what it
 * sent, the role over what its Security Center holds), so "SC equals the
 * site" is one string comparison. Removing an entity subtracts its hash,
 * which keeps the role's digest current without rescanning.
 */
export class SiteDigest {
  private a = 0;
  private b = 0;
  count = 0;

  add(type: SiPassType, r: SiPassRecord): void {
    const [ha, hb] = fnv1aPair(canonicalRecord(type, r));
    this.a = (this.a + ha) >>> 0;
    this.b = (this.b + hb) >>> 0;
    this.count++;
  }

  remove(type: SiPassType, r: SiPassRecord): void {
    const [ha, hb] = fnv1aPair(canonicalRecord(type, r));
    this.a = (this.a - ha) >>> 0;
    this.b = (this.b - hb) >>> 0;
    this.count--;
  }

  reset(): void {
    this.a = 0;
    this.b = 0;
    this.count = 0;
  }

  toString(): string {
    return `${this.count.toString(16)}-${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}
