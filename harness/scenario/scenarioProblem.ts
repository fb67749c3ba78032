import { TestbenchError } from '../../core/testbenchError.js';

/** One problem in a scenario file, at file:line:column. */
export interface ScenarioProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export const formatProblem = (p: ScenarioProblem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;

/** A scenario file that cannot run: every problem, each with its position. */
export class ScenarioInvalidError extends TestbenchError {
  readonly problems: ScenarioProblem[];

  constructor(problems: ScenarioProblem[]) {
    super('SCENARIO_INVALID', problems.map(formatProblem).join('\n'), { problems });
    this.problems = problems;
  }
}
