import type { ScenarioResult, SuiteResult } from '../runner/results.js';
import type { Reporter } from './reporter.js';

/** One JSON document for machines, written at the end. */
export class JsonReporter implements Reporter {
  constructor(private readonly write: (s: string) => void) {}

  start(): void {}

  scenario(_r: ScenarioResult): void {}

  end(s: SuiteResult): void {
    this.write(`${JSON.stringify(s, null, 2)}\n`);
  }
}
