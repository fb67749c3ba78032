import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioResult, SuiteResult } from '../runner/results.js';
import { show, type Reporter } from './reporter.js';
import { ruleLink, rulesLine } from './ruleLinks.js';

const yamlString = (s: string): string => JSON.stringify(s);

/** TAP 14: one test point per scenario, failures as YAML diagnostics (at, expected, actual). */
export class TapReporter implements Reporter {
  private n = 0;

  constructor(private readonly write: (s: string) => void) {}

  start(scenarios: Scenario[]): void {
    this.write(`TAP version 14\n1..${scenarios.length}\n`);
  }

  scenario(r: ScenarioResult): void {
    this.n++;
    const ok = r.status === 'passed';
    this.write(`${ok ? 'ok' : 'not ok'} ${this.n} - ${r.name.replace(/#/g, '\\#')}\n`);
    if (ok) return;
    const bad = r.steps.find((s) => s.status !== 'passed');
    const lines = ['  ---', `  file: ${yamlString(r.file)}`];
    if (r.rules.length) lines.push(`  rules: [${r.rules.map((id) => yamlString(`${id} ${ruleLink(id)}`)).join(', ')}]`);
    if (r.error) lines.push(`  error: ${yamlString(`${r.error.code}: ${r.error.message}`)}`);
    if (bad) {
      lines.push(`  at: ${yamlString(`${bad.at.file}:${bad.at.line}:${bad.at.column}`)}`, `  step: ${yamlString(bad.label)}`);
      if (bad.error) lines.push(`  error: ${yamlString(`${bad.error.code}: ${bad.error.message}`)}`);
      if (bad.mismatches.length) {
        lines.push('  mismatches:');
        for (const m of bad.mismatches) lines.push(`    - what: ${yamlString(m.what)}`, `      expected: ${yamlString(show(m.expected))}`, `      actual: ${yamlString(show(m.actual))}`);
      }
    }
    for (const v of r.invariantViolations) lines.push(`  invariant: ${yamlString(`${v.invariant}: ${v.message}`)}`);
    lines.push('  ...');
    this.write(`${lines.join('\n')}\n`);
  }

  end(s: SuiteResult): void {
    const notRun = s.notRun ?? [];
    // TAP 14: a run stopped before its plan says so, or a harness reads the missing points as a crash.
    if (notRun.length > 0) {
      const why = notRun.some((n) => n.reason === 'interrupted') ? 'interrupted' : '--bail stopped at the first failure';
      this.write(`Bail out! ${why}: ${notRun.length} scenario${notRun.length === 1 ? '' : 's'} not run\n`);
    }
    this.write(`# ${s.passed} passed, ${s.failed} failed${notRun.length > 0 ? `, ${notRun.length} not run` : ''}\n# wall time ${s.wallMs}ms\n`);
    const rules = rulesLine(s.scenarios);
    if (rules) this.write(`# ${rules}\n`);
  }
}
