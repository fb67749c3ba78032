import { loadScenario, type LoadOptions } from '../scenario/loadScenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { ScenarioInvalidError, type ScenarioProblem } from '../scenario/scenarioProblem.js';
import type { NotRun, ScenarioResult, SuiteResult } from './results.js';
import { runScenario, type RunOptions } from './runScenario.js';
import { holdIfAsked } from './testHold.js';

export interface SuiteOptions extends RunOptions {
  grep?: RegExp;
  jobs?: number;
  bail?: boolean;
  /**
   * Stops the suite (SIGINT/SIGTERM): runSuite resolves at once with the
   * scenarios that finished; the others are `notRun` with reason "interrupted".
   */
  signal?: AbortSignal;
  onStart?: (scenarios: Scenario[]) => void;
  onResult?: (r: ScenarioResult) => void;
}

/** Loads every file first: one invalid file stops the suite before anything runs (exit 2). */
export async function loadAll(files: string[], options: LoadOptions = {}): Promise<{ scenarios: Scenario[]; problems: ScenarioProblem[] }> {
  const scenarios: Scenario[] = [];
  const problems: ScenarioProblem[] = [];
  for (const f of files) {
    try {
      scenarios.push(await loadScenario(f, options));
    } catch (e) {
      if (e instanceof ScenarioInvalidError) problems.push(...e.problems);
      else throw e;
    }
  }
  return { scenarios, problems };
}

const aborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/**
 * Runs scenarios, `jobs` at a time (each on its own ephemeral port), results
 * reported in file order whatever order they finish in.
 */
export async function runSuite(all: Scenario[], o: SuiteOptions = {}): Promise<SuiteResult> {
  const started = Date.now();
  const scenarios = o.grep ? all.filter((s) => o.grep?.test(s.name) || o.grep?.test(s.file)) : all;
  o.onStart?.(scenarios);
  const results: Array<ScenarioResult | undefined> = new Array<ScenarioResult | undefined>(scenarios.length);
  let next = 0;
  let reported = 0;
  let stop = false;
  const flush = (): void => {
    while (reported < scenarios.length && results[reported]) {
      o.onResult?.(results[reported] as ScenarioResult);
      reported++;
    }
  };
  const worker = async (): Promise<void> => {
    while (!stop && !o.signal?.aborted && next < scenarios.length) {
      const i = next++;
      const s = scenarios[i] as Scenario;
      await holdIfAsked(s.name);
      const r = await runScenario(s, o);
      if (o.signal?.aborted) return;
      results[i] = r;
      if (o.bail && r.status !== 'passed') stop = true;
      flush();
    }
  };
  const workers = Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs ?? 1, scenarios.length)) }, worker));
  await (o.signal ? Promise.race([workers, aborted(o.signal)]) : workers);
  const interrupted = o.signal?.aborted === true;
  // Finished out of order behind an unfinished one (bail, signal): still reported, in file order.
  for (let i = reported; i < scenarios.length; i++) {
    const r = results[i];
    if (r) o.onResult?.(r);
  }
  const done = results.filter((r): r is ScenarioResult => r !== undefined);
  const notRun: NotRun[] = scenarios
    .filter((_, i) => results[i] === undefined)
    .map((s) => ({ file: s.file, name: s.name, reason: interrupted ? 'interrupted' : 'bail' }));
  return {
    scenarios: done,
    ...(notRun.length > 0 ? { notRun } : {}),
    passed: done.filter((r) => r.status === 'passed').length,
    failed: done.filter((r) => r.status !== 'passed').length,
    wallMs: Date.now() - started,
    seed: o.seed ?? null,
  };
}
