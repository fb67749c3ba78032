import { hash32 } from '../../core/random.js';

export interface BackoffPolicy {
  /** First retry delay (ms). */
  baseMs: number;
  /** Cap (ms): the delay never grows past it. */
  maxMs: number;
  /** Jitter as a fraction of the delay (0.2 = +-20%), seeded so runs replay. */
  jitter: number;
  seed: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, jitter: 0.2, seed: 1 };

/** R3: capped exponential back-off with seeded jitter; attempt counts from 0. */
export function backoffDelay(attempt: number, p: BackoffPolicy): number {
  const raw = Math.min(p.maxMs, p.baseMs * 2 ** Math.min(attempt, 30));
  const j = p.jitter > 0 ? ((hash32(p.seed, attempt) / 4294967296) * 2 - 1) * p.jitter : 0;
  return Math.max(1, Math.min(p.maxMs, Math.round(raw * (1 + j))));
}
