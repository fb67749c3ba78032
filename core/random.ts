/**
 * Seeded, stateless randomness: `hash32(seed, a, b)` gives the same number for
 * the same inputs, so the population can compute entity #n without computing
 * entities 0..n-1 (random access, nothing materialised).
 */
export function hash32(...parts: number[]): number {
  let h = 0x811c9dc5 ^ parts.length;
  for (const p of parts) {
    let k = Math.imul(p | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A float in [0, 1) from the hash of its inputs. */
export const unit = (...parts: number[]): number => hash32(...parts) / 4294967296;

/** Pick one of `items` deterministically. */
export function pick<T>(items: readonly T[], ...parts: number[]): T {
  const item = items[hash32(...parts) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A sequential PRNG (mulberry32) for schedules that are consumed in order. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** A stable numeric form of a string (for seeding from names). */
export function stringSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
