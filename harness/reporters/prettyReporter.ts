import { formatDuration } from '../../core/duration.js';
import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioResult, SuiteResult } from '../runner/results.js';
import { paint, type Paint } from './paint.js';
import { show, type Reporter } from './reporter.js';
import { rulesLine } from './ruleLinks.js';

export interface PrettyOptions {
  /** ANSI colours (the CLI turns them on for a terminal only, honouring NO_COLOR / FORCE_COLOR). */
  colour?: boolean;
}

/** The terminal report: one line per scenario, details for failures, a summary with the wall time. */
export class PrettyReporter implements Reporter {
  private readonly paint: Paint;

  constructor(
    private readonly write: (s: string) => void,
    options: PrettyOptions = {},
  ) {
    this.paint = paint(options.colour === true);
  }

  start(scenarios: Scenario[]): void {
    this.write(`Running ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}\n\n`);
  }

  scenario(r: ScenarioResult): void {
    const mark = r.status === 'passed' ? this.paint.green('PASS') : this.paint.red(r.status === 'failed' ? 'FAIL' : 'ERROR');
    const rules = r.rules.length ? ` [${r.rules.join(', ')}]` : '';
    this.write(`${mark}  ${r.name}${rules}  (${r.file}, ${formatDuration(r.wallMs)} wall, ${formatDuration(r.simulatedMs)} simulated)\n`);
    if (r.status === 'passed') return;
    if (r.error) this.write(`      ${r.error.code}: ${r.error.message}\n`);
    for (const s of r.steps) {
      if (s.status === 'passed') continue;
      this.write(`      step ${s.index + 1} at ${s.at.file}:${s.at.line}: ${s.label}\n`);
      if (s.error) this.write(`        error ${s.error.code}: ${s.error.message}\n`);
      for (const m of s.mismatches) {
        this.write(`        ${m.what}\n          expected: ${show(m.expected)}\n          actual:   ${show(m.actual)}\n`);
      }
    }
    for (const v of r.invariantViolations) this.write(`      invariant ${v.invariant} broken at ${formatDuration(v.simulatedAt)}: ${v.message}\n`);
  }

  end(s: SuiteResult): void {
    const p = this.paint;
    const notRun = s.notRun ?? [];
    const why = notRun.some((n) => n.reason === 'interrupted') ? 'interrupted' : '--bail stopped at the first failure';
    const counts = [
      s.passed > 0 ? p.green(`${s.passed} passed`) : `${s.passed} passed`,
      s.failed > 0 ? p.red(`${s.failed} failed`) : `${s.failed} failed`,
      ...(notRun.length > 0 ? [p.yellow(`${notRun.length} not run (${why})`)] : []),
    ];
    this.write(`\n${p.bold(counts.join(', '))}\n`);
    this.write(`Suite wall time: ${formatDuration(s.wallMs)}${s.seed !== null ? ` (seed ${s.seed})` : ''}\n`);
    const rules = rulesLine(s.scenarios);
    if (rules) this.write(`${rules}\n`);
  }
}
