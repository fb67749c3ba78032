import { formatProblem, type ScenarioProblem } from './scenarioProblem.js';

export const PROBLEM_FORMATS = ['text', 'json', 'github'] as const;
export type ProblemFormat = (typeof PROBLEM_FORMATS)[number];

export interface ValidationSummary {
  files: number;
  valid: number;
  invalid: number;
  problems: ScenarioProblem[];
}

// GitHub Actions workflow commands: data escapes %, CR, LF; property values also ':' and ','.
const ghData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const ghProperty = (s: string): string => ghData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * validate's output, all on stdout like eslint's: `text` (file:line:col: message,
 * then a summary), `json` (one document), `github` (::error annotations that a
 * GitHub Actions run shows on the pull request's lines, then the summary).
 */
export function formatProblems(format: ProblemFormat, s: ValidationSummary): string {
  if (format === 'json') return `${JSON.stringify(s, null, 2)}\n`;
  const lines =
    format === 'github'
      ? s.problems.map((p) => `::error file=${ghProperty(p.file)},line=${p.line},col=${p.column},title=sipass-testbench validate::${ghData(p.message)}`)
      : s.problems.map(formatProblem);
  const bad = [...new Set(s.problems.map((p) => p.file))];
  const n = s.problems.length;
  lines.push(`${lines.length > 0 ? '\n' : ''}${s.valid} valid, ${s.invalid} invalid (${n} problem${n === 1 ? '' : 's'}${bad.length ? ` in ${bad.join(', ')}` : ''})`);
  return `${lines.join('\n')}\n`;
}
