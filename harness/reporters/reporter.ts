import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioResult, SuiteResult } from '../runner/results.js';

/** A report format: fed as results arrive, finished with the suite. */
export interface Reporter {
  start(scenarios: Scenario[]): void;
  scenario(r: ScenarioResult): void;
  end(suite: SuiteResult): void;
}

export const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
