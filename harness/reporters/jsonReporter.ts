import type { ScenarioResult, SuiteResult } from '../runner/results.js';
import type { Reporter } from './reporter.js';
import { RULES_DOC } from './ruleLinks.js';

/** One JSON document for machines, written at the end. */
export class JsonReporter implements Reporter {
  constructor(private readonly write: (s: string) => void) {}

  start(): void {}

  scenario(_r: ScenarioResult): void {}

  end(s: SuiteResult): void {
    // rulesDoc: where the rule ids in each scenario's "rules" are defined.
    this.write(`${JSON.stringify({ ...s, rulesDoc: RULES_DOC }, null, 2)}\n`);
  }
}
