import type { SuiteResult } from '../runner/results.js';
import { show } from './reporter.js';
import { ruleLink } from './ruleLinks.js';

const esc = (s: string): string =>
  // XML 1.0 forbids most control characters, even escaped: drop them.
  [...s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)]
    .filter((c) => c.charCodeAt(0) >= 0x20 || c === '\n' || c === '\r' || c === '\t')
    .join('');

const classname = (file: string): string => file.replace(/\.ya?ml$/, '').replace(/[\\/]/g, '.');

/** JUnit XML as CI systems read it: one testsuite per rule-less file set, one testcase per scenario. */
export function junitReport(s: SuiteResult): string {
  const failures = s.scenarios.filter((r) => r.status === 'failed').length;
  const errors = s.scenarios.filter((r) => r.status === 'error').length;
  const cases = s.scenarios.map((r) => {
    const attrs = `name="${esc(r.name)}" classname="${esc(classname(r.file))}" file="${esc(r.file)}" time="${(r.wallMs / 1000).toFixed(3)}"`;
    // The rules a scenario checks, each pointing at its definition (JUnit testcase properties).
    const props = r.rules.length ? `\n      <properties>\n${r.rules.map((id) => `        <property name="rule" value="${esc(`${id} ${ruleLink(id)}`)}"/>`).join('\n')}\n      </properties>` : '';
    if (r.status === 'passed') return props ? `    <testcase ${attrs}>${props}\n    </testcase>` : `    <testcase ${attrs}/>`;
    const bad = r.steps.find((x) => x.status !== 'passed');
    const where = bad ? `${bad.at.file}:${bad.at.line}` : r.file;
    const body = [
      r.error ? `${r.error.code}: ${r.error.message}` : '',
      bad ? `step ${bad.index + 1} at ${where}: ${bad.label}` : '',
      ...(bad?.error ? [`${bad.error.code}: ${bad.error.message}`] : []),
      ...(bad?.mismatches ?? []).map((m) => `${m.what}: expected ${show(m.expected)}, actual ${show(m.actual)}`),
      ...r.invariantViolations.map((v) => `invariant ${v.invariant}: ${v.message}`),
    ]
      .filter(Boolean)
      .join('\n');
    const tag = r.status === 'error' ? 'error' : 'failure';
    const message = bad?.mismatches[0] ? `${bad.mismatches[0].what} (${where})` : (bad?.error?.message ?? r.error?.message ?? 'failed');
    return `    <testcase ${attrs}>${props}\n      <${tag} message="${esc(message)}" type="${r.status}">${esc(body)}</${tag}>\n    </testcase>`;
  });
  // Selected but unfinished (--bail, a signal): listed as skipped so CI shows what never ran.
  const notRun = (s.notRun ?? []).map(
    (n) =>
      `    <testcase name="${esc(n.name)}" classname="${esc(classname(n.file))}" file="${esc(n.file)}" time="0.000">\n      <skipped message="${n.reason === 'interrupted' ? 'interrupted' : 'not run: --bail stopped at the first failure'}"/>\n    </testcase>`,
  );
  const tests = s.scenarios.length + notRun.length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${notRun.length}" time="${(s.wallMs / 1000).toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sipass-testbench" ${counts}>`,
    `  <testsuite name="scenarios" ${counts}>`,
    ...cases,
    ...notRun,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
