import type { SiPassRecord, SiPassType } from './sipassTypes.js';

function fnv1a(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Canonical text of a record: keys sorted, so field order on the wire does not matter. */
export function canonicalRecord(type: SiPassType, r: SiPassRecord): string {
  const keys = Object.keys(r).sort();
  let s = type;
  for (const k of keys) s += `\u0001${k}\u0002${JSON.stringify(r[k])}`;
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
    const c = canonicalRecord(type, r);
    this.a = (this.a + fnv1a(c, 0x811c9dc5)) >>> 0;
    this.b = (this.b + fnv1a(c, 0x050c5d1f)) >>> 0;
    this.count++;
  }

  remove(type: SiPassType, r: SiPassRecord): void {
    const c = canonicalRecord(type, r);
    this.a = (this.a - fnv1a(c, 0x811c9dc5)) >>> 0;
    this.b = (this.b - fnv1a(c, 0x050c5d1f)) >>> 0;
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
