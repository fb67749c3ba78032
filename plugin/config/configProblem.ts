import { TestbenchError } from '../../core/testbenchError.js';
import { FIELD_LABEL, type ConfigField } from './pluginConfig.js';

/** One bad field of an Apply. */
export interface ConfigProblem {
  field: ConfigField;
  code: string;
  value: unknown;
  message: string;
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v) ?? 'a value that is not text'));

export function problem(field: ConfigField, code: string, value: unknown, reason: string): ConfigProblem {
  return { field, code, value, message: `${FIELD_LABEL[field]}: ${show(value)} ${reason}` };
}

/** R6: an Apply with any invalid field is rejected whole and lists every problem. */
export class ApplyRejectedError extends TestbenchError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(
      'APPLY_REJECTED',
      `Apply rejected, nothing changed (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
      { problems },
    );
    this.problems = problems;
  }
}
