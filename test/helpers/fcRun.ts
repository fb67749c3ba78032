import fc from 'fast-check';

/** The part of a tap Test that fcAssert needs (keeps this helper independent of tap's types). */
export interface CommentSink {
  comment(...message: unknown[]): void;
}

const DEFAULT_NUM_RUNS = 100;

function envSeed(): number | undefined {
  const raw = process.env.FC_SEED;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw new Error(`FC_SEED must be an integer, got ${JSON.stringify(raw)}`);
  const seed = Number(raw.trim());
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED is out of range: ${raw}`);
  return seed;
}

function envScale(): number {
  const raw = process.env.FC_NUM_RUNS;
  if (raw === undefined || raw.trim() === '') return 1;
  const scale = Number(raw.trim());
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`FC_NUM_RUNS must be a positive number (a factor), got ${JSON.stringify(raw)}`);
  return scale;
}

/**
 * The seed for one fast-check run: FC_SEED when set, otherwise the current
 * time reduced to 31 bits (fast-check reduces seeds to 32-bit integers, so a
 * 31-bit seed is printed by fast-check exactly as we print it).
 */
export function fcSeed(): number {
  return envSeed() ?? Date.now() % 0x80000000;
}

/**
 * How many runs a property gets: `base` (default 100) times the factor in
 * FC_NUM_RUNS (e.g. FC_NUM_RUNS=10 for a long soak, 0.1 for a quick pass),
 * at least 1.
 */
export function fcNumRuns(base = DEFAULT_NUM_RUNS): number {
  return Math.max(1, Math.round(base * envScale()));
}

/**
 * fc.assert with a seed that is always printed, so any failure can be
 * replayed: `FC_SEED=<seed> npx tap <file>` (add FC_PATH=<path> to jump
 * straight to the shrunk counterexample).
 *
 * - the seed comes from FC_SEED or the clock, and is printed as a TAP comment
 *   (`fast-check seed=<seed>`) before the property runs;
 * - numRuns is `params.numRuns` (default 100) scaled by FC_NUM_RUNS;
 * - on failure the thrown error's message starts with the seed and keeps
 *   fast-check's own report (which holds `seed`, `path` and the counterexample);
 *   the original error is its `cause`.
 *
 * Always returns a promise (sync and async properties alike): await it.
 */
export async function fcAssert<Ts>(t: CommentSink, property: fc.IRawProperty<Ts>, params: fc.Parameters<Ts> = {}): Promise<void> {
  const seed = params.seed ?? fcSeed();
  const numRuns = fcNumRuns(params.numRuns ?? DEFAULT_NUM_RUNS);
  const path = params.path ?? (process.env.FC_PATH !== undefined && process.env.FC_PATH !== '' ? process.env.FC_PATH : undefined);
  t.comment(`fast-check seed=${seed} numRuns=${numRuns}${path !== undefined ? ` path=${path}` : ''}`);
  try {
    await fc.assert(property, { ...params, seed, numRuns, ...(path !== undefined ? { path } : {}) });
  } catch (e) {
    const inner = e instanceof Error ? e.message : String(e);
    const err = new Error(`fast-check property failed (seed=${seed}; replay with FC_SEED=${seed})\n${inner}`, { cause: e });
    throw err;
  }
}
