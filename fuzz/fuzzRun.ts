import { Worker } from 'node:worker_threads';

export type FuzzTarget = 'decoder' | 'loader';

export interface FuzzOptions {
  /** How many inputs. */
  iterations: number;
  /** Every input is derived from (seed, its index): the same seed replays the same run. */
  seed: number;
  /** Index of the first input (default 0): `{ seed, from: i, iterations: 1 }` replays input i alone. */
  from?: number;
  /**
   * The hang detector: an input still running after this long aborts the run
   * with a report naming it (default 1000 ms). Not a speed test: inputs take
   * microseconds to milliseconds.
   */
  maxInputMs?: number;
  /** Stop after this many violations (default 20). */
  maxViolations?: number;
  /** Scenario loader: the scenarios to mutate (default: the bundled scenarios/). */
  scenariosDir?: string;
}

/** One input that broke the contract. */
export interface Violation {
  /**
   * crash: an exception that is not the typed one; contract: a typed error that says the wrong thing;
   * leak: a problem quoting a file outside the scenario root (or a stack overflow); slow/hang: the time bound.
   */
  kind: 'crash' | 'contract' | 'leak' | 'slow' | 'hang';
  seed: number;
  index: number;
  ms: number;
  detail: string;
  /** How the input was made (strategy + mutations). */
  recipe: string;
  /** The input: base64 bytes (decoder) or the mutated file's text (loader). */
  input?: string;
  /** Decoder: chunk boundaries and frame limit. */
  cuts?: number[];
  maxFrame?: number;
  /** Loader: the bundled file that was mutated, relative to the scenarios directory. */
  file?: string;
}

export interface Tally {
  inputs: number;
  bytes: number;
  /** Per outcome: an error code, "ok", or a violation kind. */
  outcomes: Record<string, number>;
  /** How often each strategy and mutation was used. */
  recipes: Record<string, number>;
  slowestMs: number;
  slowestIndex: number;
  violations: Violation[];
  maxViolations: number;
}

export interface FuzzReport extends Tally {
  target: FuzzTarget;
  seed: number;
  iterations: number;
  elapsedMs: number;
  inputsPerSecond: number;
  /** Why the run stopped early, if it did. */
  aborted?: string;
  /** Inputs that overran the hang bound once but completed when run again alone (a stalled machine, not a hang). */
  stalls?: number[];
}

export const DEFAULT_MAX_INPUT_MS = 1_000;
export const DEFAULT_MAX_VIOLATIONS = 20;

export function emptyTally(maxViolations = DEFAULT_MAX_VIOLATIONS): Tally {
  return { inputs: 0, bytes: 0, outcomes: {}, recipes: {}, slowestMs: 0, slowestIndex: -1, violations: [], maxViolations };
}

/** A thrown value in one line: its class, code, message and where it was thrown. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const where = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at '))?.trim();
    return `${e.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${e.message.split('\n')[0] ?? ''}${where ? ` (${where})` : ''}`;
  }
  return `a non-Error value: ${String(e)}`;
}

/** What the worker is given. */
export interface WorkerInput {
  target: FuzzTarget;
  seed: number;
  from: number;
  to: number;
  maxInputMs: number;
  maxViolations: number;
  scenariosDir: string | undefined;
  /** [0]: index of the input running (-1: none); as Float64 at byte 8: when it started (ms since epoch). */
  progress: SharedArrayBuffer;
}

export type WorkerOutput = { kind: 'done'; tally: Tally } | { kind: 'partial'; tally: Tally } | { kind: 'failed'; message: string };

function workerUrl(): URL {
  // From the TypeScript source (a test runner's loader) or from dist/.
  return new URL(import.meta.url.endsWith('.ts') ? './fuzzWorker.ts' : './fuzzWorker.js', import.meta.url);
}

/** How much longer than maxInputMs an input gets when it is run again alone to confirm a hang. */
export const HANG_CONFIRM_FACTOR = 10;

/**
 * Runs the inputs in a worker thread and watches it from this one: an input
 * running longer than maxInputMs (an infinite loop, a promise that never
 * settles) is reported as a hang, with its seed and index, and the worker is
 * terminated. Resolves with the report; never rejects for what the inputs do.
 *
 * The watch is wall time, and on a shared CI machine other work can stall one input past the
 * bound (CI once saw a 200-file loader run stopped at 1,042 ms of a 1,000 ms bound). So a hang is
 * confirmed first: the input is run again alone with HANG_CONFIRM_FACTOR times the bound. A real
 * hang (an infinite loop, a super-linear input) hangs again; a stalled one completes, is counted
 * in `stalls`, and the run goes on from the next input.
 */
export async function runIsolated(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const maxInputMs = options.maxInputMs ?? DEFAULT_MAX_INPUT_MS;
  const first = options.from ?? 0;
  const end = first + options.iterations;
  const started = performance.now();
  let from = first;
  let merged: FuzzReport | undefined;
  const stalls: number[] = [];
  for (;;) {
    const part = await runInWorker(target, { ...options, from, iterations: end - from });
    const last = part.violations[part.violations.length - 1];
    const hung = last?.kind === 'hang' && last.index >= from && last.index < end ? last.index : undefined;
    if (hung !== undefined) {
      // Only the watchdog gets the longer bound: the input is still judged slow against maxInputMs
      // (a heavy input that stalled past the hang bound once is a slow one, not nothing).
      const again = await runInWorker(target, { ...options, from: hung, iterations: 1 }, maxInputMs * HANG_CONFIRM_FACTOR);
      if (!again.violations.some((v) => v.kind === 'hang')) {
        part.violations.pop();
        delete part.aborted;
        // What the worker did before the stalled input, then the input itself.
        part.inputs = hung - from;
        merged = mergeReports(mergeReports(merged, part), again);
        stalls.push(hung);
        from = hung + 1;
        if (from < end && merged.violations.length < merged.maxViolations) continue;
        break;
      }
    }
    merged = mergeReports(merged, part);
    break;
  }
  const elapsedMs = performance.now() - started;
  return {
    ...merged,
    iterations: options.iterations,
    elapsedMs,
    inputsPerSecond: elapsedMs > 0 ? (merged.inputs / elapsedMs) * 1000 : 0,
    ...(stalls.length > 0 ? { stalls } : {}),
  };
}

function mergeReports(a: FuzzReport | undefined, b: FuzzReport): FuzzReport {
  if (!a) return { ...b, outcomes: { ...b.outcomes }, recipes: { ...b.recipes }, violations: [...b.violations] };
  const add = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, n] of Object.entries(y)) out[k] = (out[k] ?? 0) + n;
    return out;
  };
  const slower = b.slowestMs > a.slowestMs;
  return {
    ...a,
    inputs: a.inputs + b.inputs,
    bytes: a.bytes + b.bytes,
    outcomes: add(a.outcomes, b.outcomes),
    recipes: add(a.recipes, b.recipes),
    slowestMs: slower ? b.slowestMs : a.slowestMs,
    slowestIndex: slower ? b.slowestIndex : a.slowestIndex,
    violations: [...a.violations, ...b.violations],
    ...(b.aborted !== undefined ? { aborted: b.aborted } : {}),
  };
}

/** `hangAfterMs`: when the watchdog calls an input a hang (default maxInputMs, which also bounds a slow input). */
async function runInWorker(target: FuzzTarget, options: FuzzOptions, hangAfterMs?: number): Promise<FuzzReport> {
  const maxInputMs = options.maxInputMs ?? DEFAULT_MAX_INPUT_MS;
  const hangMs = hangAfterMs ?? maxInputMs;
  const maxViolations = options.maxViolations ?? DEFAULT_MAX_VIOLATIONS;
  if (!Number.isSafeInteger(options.iterations) || options.iterations < 0) throw new RangeError(`iterations must be a whole number, got ${options.iterations}`);
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new RangeError(`seed must be a non-negative whole number, got ${options.seed}`);
  const from = options.from ?? 0;
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`from must be a non-negative whole number, got ${from}`);
  const progress = new SharedArrayBuffer(16);
  const index = new Int32Array(progress, 0, 1);
  const startedAt = new Float64Array(progress, 8, 1);
  index[0] = -1;
  const data: WorkerInput = { target, seed: options.seed, from, to: from + options.iterations, maxInputMs, maxViolations, scenariosDir: options.scenariosDir, progress };
  const started = performance.now();
  const finish = (tally: Tally, aborted?: string): FuzzReport => {
    const elapsedMs = performance.now() - started;
    return {
      ...tally,
      target,
      seed: options.seed,
      iterations: options.iterations,
      elapsedMs,
      inputsPerSecond: elapsedMs > 0 ? (tally.inputs / elapsedMs) * 1000 : 0,
      ...(aborted !== undefined ? { aborted } : {}),
    };
  };

  return await new Promise<FuzzReport>((resolve) => {
    // The stack of a main thread (about 1 MiB), not a worker's 4 MiB: deep recursion fails as it would in the CLI.
    const worker = new Worker(workerUrl(), { workerData: data, resourceLimits: { stackSizeMb: 1 } });
    let partial: Tally | undefined;
    let settled = false;
    const done = (report: FuzzReport): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(report);
    };
    const hangAt = (why: string): void => {
      const i = index[0] ?? -1;
      const ms = Date.now() - (startedAt[0] ?? Date.now());
      // What was done before this input (the last tally the worker posted), then the hang.
      const tally = partial ?? emptyTally(maxViolations);
      tally.inputs = Math.max(tally.inputs, i - data.from);
      tally.violations.push({ kind: 'hang', seed: options.seed, index: i, ms, detail: why, recipe: '(replay with the seed and index)' });
      done(finish(tally, `input ${i} of seed ${options.seed}: ${why}`));
    };
    const watchdog = setInterval(() => {
      const i = index[0] ?? -1;
      const since = startedAt[0] ?? 0;
      if (i >= 0 && since > 0 && Date.now() - since > hangMs) {
        hangAt(`still running after ${Date.now() - since} ms (limit ${hangMs} ms): the worker was terminated`);
        void worker.terminate();
      }
    }, Math.max(10, Math.min(100, hangMs / 4)));
    worker.on('message', (m: WorkerOutput) => {
      if (m.kind === 'partial') partial = m.tally;
      else if (m.kind === 'done') done(finish(m.tally, m.tally.violations.length >= maxViolations ? `stopped after ${maxViolations} violations` : undefined));
      else {
        const tally = emptyTally(maxViolations);
        done(finish(tally, `the fuzzer failed: ${m.message}`));
      }
    });
    worker.on('error', (e) => {
      const tally = partial ?? emptyTally(maxViolations);
      const i = index[0] ?? -1;
      tally.violations.push({ kind: 'crash', seed: options.seed, index: i, ms: 0, detail: `uncaught in the fuzz worker: ${describeThrown(e)}`, recipe: '(replay with the seed and index)' });
      done(finish(tally, `the fuzz worker died at input ${i}`));
    });
    worker.on('exit', () => {
      // Exited without a report: an input's promise never settled and nothing else was pending.
      if (!settled) hangAt('the worker ran out of work with this input unsettled (a promise that never resolves)');
    });
  });
}
