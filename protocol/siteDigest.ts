import type { SiPassRecord, SiPassType } from './sipassTypes.js';

// Records of one type share their key order, so the sorted order is cached per
// key sequence instead of sorting a million times (a hot path of a large sync).
// Shapes are found by their first key and length, then compared key by key.
const shapes = new Map<string, Array<{ keys: string[]; sorted: string[] }>>();
// Anything JSON.stringify would escape (quotes, backslash, controls, lone surrogates) takes the slow path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function sortedKeys(r: SiPassRecord): string[] {
  const keys = Object.keys(r);
  const bucketKey = `${keys.length}:${keys[0] ?? ''}`;
  let bucket = shapes.get(bucketKey);
  if (bucket) {
    for (const shape of bucket) {
      let same = true;
      for (let i = 0; i < keys.length; i++) {
        if (shape.keys[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return shape.sorted;
    }
  } else {
    bucket = [];
    if (shapes.size < 1024) shapes.set(bucketKey, bucket);
  }
  const sorted = [...keys].sort();
  if (bucket.length < 16) bucket.push({ keys, sorted });
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
 * Both FNV-1a lanes of canonicalRecord(type, r), computed piece by piece
 * without building the text (no string per entity: less garbage on a
 * million-entity sync). Equal to hashing the canonical text.
 */
class PairHash {
  a = 0x811c9dc5;
  b = 0x050c5d1f;

  text(s: string): void {
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193);
    }
    this.a = a;
    this.b = b;
  }

  char(c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193);
    this.b = Math.imul(this.b ^ c, 0x01000193);
  }
}

const QUOTE = 0x22;

function hashRecord(type: SiPassType, r: SiPassRecord): PairHash {
  const h = new PairHash();
  h.text(type);
  for (const k of sortedKeys(r)) {
    h.char(1);
    h.text(k);
    h.char(2);
    const v = r[k];
    if (typeof v === 'string' && !NEEDS_ESCAPE.test(v)) {
      h.char(QUOTE);
      h.text(v);
      h.char(QUOTE);
    } else {
      h.text(scalarJson(v));
    }
  }
  return h;
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
    const h = hashRecord(type, r);
    this.a = (this.a + (h.a >>> 0)) >>> 0;
    this.b = (this.b + (h.b >>> 0)) >>> 0;
    this.count++;
  }

  remove(type: SiPassType, r: SiPassRecord): void {
    const h = hashRecord(type, r);
    this.a = (this.a - (h.a >>> 0)) >>> 0;
    this.b = (this.b - (h.b >>> 0)) >>> 0;
    this.count--;
  }

  toString(): string {
    return `${this.count.toString(16)}-${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}
