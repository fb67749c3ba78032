import { loadScenario } from '../scenario/loadScenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { ScenarioInvalidError, type ScenarioProblem } from '../scenario/scenarioProblem.js';
import type { ScenarioResult, SuiteResult } from './results.js';
import { runScenario, type RunOptions } from './runScenario.js';

export interface SuiteOptions extends RunOptions {
  grep?: RegExp;
  jobs?: number;
  bail?: boolean;
  onStart?: (scenarios: Scenario[]) => void;
  onResult?: (r: ScenarioResult) => void;
}

/** Loads every file first: one invalid file stops the suite before anything runs (exit 2). */
export async function loadAll(files: string[]): Promise<{ scenarios: Scenario[]; problems: ScenarioProblem[] }> {
  const scenarios: Scenario[] = [];
  const problems: ScenarioProblem[] = [];
  for (const f of files) {
    try {
      scenarios.push(await loadScenario(f));
    } catch (e) {
      if (e instanceof ScenarioInvalidError) problems.push(...e.problems);
      else throw e;
    }
  }
  return { scenarios, problems };
}

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
    while (!stop && next < scenarios.length) {
      const i = next++;
      const s = scenarios[i] as Scenario;
      const r = await runScenario(s, o);
      results[i] = r;
      if (o.bail && r.status !== 'passed') stop = true;
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs ?? 1, scenarios.length)) }, worker));
  const done = results.filter((r): r is ScenarioResult => r !== undefined);
  return {
    scenarios: done,
    passed: done.filter((r) => r.status === 'passed').length,
    failed: done.filter((r) => r.status !== 'passed').length,
    wallMs: Date.now() - started,
    seed: o.seed ?? null,
  };
}
