import { hash32, SeededRandom } from '../core/random.js';

/**
 * The fuzzers' randomness. Every input is generated from (seed, index) alone,
 * so one input is replayed without generating the ones before it.
 */
export class Rng {
  private readonly r: SeededRandom;

  constructor(seed: number, index = 0) {
    this.r = new SeededRandom(hash32(seed, index, 0x5eed));
  }

  /** A float in [0, 1). */
  next(): number {
    return this.r.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.r.next() * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.r.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** One of `items`, each with its weight. */
  weighted<T>(items: ReadonlyArray<readonly [number, T]>): T {
    const total = items.reduce((n, [w]) => n + w, 0);
    let x = this.next() * total;
    for (const [w, v] of items) {
      if (x < w) return v;
      x -= w;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[1];
  }

  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** A seed from the clock, 31 bits (printed and replayed as is). */
export const clockSeed = (): number => Date.now() % 0x80000000;

/** Parses a seed given as text (env FUZZ_SEED): a safe integer, or undefined when unset. */
export function parseSeed(raw: string | undefined, name = 'FUZZ_SEED'): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  const seed = Number(raw.trim());
  if (!Number.isSafeInteger(seed)) throw new Error(`${name} is out of range: ${raw}`);
  return seed;
}
