import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { JsonReporter } from '../../harness/reporters/jsonReporter.js';
import { junitReport } from '../../harness/reporters/junitReport.js';
import { PrettyReporter } from '../../harness/reporters/prettyReporter.js';
import type { Reporter } from '../../harness/reporters/reporter.js';
import { ruleLink, rulesCited, rulesLine, RULES_DOC } from '../../harness/reporters/ruleLinks.js';
import { TapReporter } from '../../harness/reporters/tapReporter.js';
import type { ScenarioResult, SuiteResult } from '../../harness/runner/results.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (f: string): string => readFileSync(path.join(root, f), 'utf8');
const rulesDoc = read(RULES_DOC);
const anchors = new Set([...rulesDoc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));

t.test('docs/rules.md defines R1..R15, each under its own anchor', async (t) => {
  for (let i = 1; i <= 15; i++) {
    t.ok(anchors.has(`r${i}`), `#r${i}`);
    t.match(rulesDoc, new RegExp(`<a id="r${i}"></a>\\n## R${i} — `), `R${i} has its heading under the anchor`);
  }
});

t.test('every rule a bundled scenario cites has its anchor', async (t) => {
  const files = readdirSync(path.join(root, 'scenarios'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
  const cited = new Set(files.flatMap((f) => [...read(path.join('scenarios', f)).matchAll(/\bR(\d+)\b/g)].map((m) => `r${m[1]}`)));
  t.ok(cited.size >= 12);
  for (const id of cited) t.ok(anchors.has(id), `${id} is in docs/rules.md`);
});

/** Markdown links of a file: [text](target). */
const links = (md: string): string[] => [...md.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');

t.test('README and docs link only inside the repository, and every local link resolves (file and anchor)', async (t) => {
  const docs = ['README.md', ...readdirSync(path.join(root, 'docs')).map((f) => path.join('docs', f))].filter((f) => f.endsWith('.md'));
  for (const doc of docs) {
    const text = read(doc);
    t.notMatch(text, /shared\/|SPEC\.md/, `${doc} names nothing outside the repository`);
    for (const target of links(text)) {
      if (/^https?:/.test(target)) continue;
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? path.join(root, doc) : path.resolve(root, path.dirname(doc), file);
      t.ok(resolved.startsWith(root + path.sep) && existsSync(resolved), `${doc}: ${target} exists in the repository`);
      if (anchor !== undefined && path.basename(resolved) === 'rules.md') t.ok(anchors.has(anchor), `${doc}: #${anchor} is an anchor of rules.md`);
    }
  }
});

const result = (name: string, rules: string[], status: ScenarioResult['status']): ScenarioResult =>
  ({ name, file: `scenarios/${name}.yaml`, rules, status, wallMs: 1, simulatedMs: 0, steps: [], invariantViolations: [] });
const suite = {
  scenarios: [result('a', ['R10', 'R7'], 'passed'), result('b', ['R7'], 'failed'), result('c', [], 'passed')],
  passed: 2,
  failed: 1,
  wallMs: 3,
  seed: null,
} as unknown as SuiteResult;
const render = (make: (w: (s: string) => void) => Reporter): string => {
  let out = '';
  const r = make((s) => (out += s));
  r.start([]);
  for (const s of suite.scenarios) r.scenario(s);
  r.end(suite);
  return out;
};

t.test('every report points its rule ids at docs/rules.md', async (t) => {
  t.equal(ruleLink('R7'), 'docs/rules.md#r7');
  t.same(rulesCited(suite.scenarios), ['R7', 'R10'], 'each once, in rule order');
  t.equal(rulesLine([{ rules: [] }]), '', 'nothing to say when no rule is cited');
  t.match(render((w) => new PrettyReporter(w)), /\nRules R7, R10 are defined in docs\/rules\.md \(e\.g\. docs\/rules\.md#r7\)\n$/);
  const tap = render((w) => new TapReporter(w));
  t.match(tap, '  rules: ["R7 docs/rules.md#r7"]', 'a failing point names its rules and their definitions');
  t.match(tap, /\n# Rules R7, R10 are defined in docs\/rules\.md \(e\.g\. docs\/rules\.md#r7\)\n$/);
  const xml = junitReport(suite);
  t.match(xml, /<testcase name="a" [^>]*>\n\s*<properties>\n\s*<property name="rule" value="R10 docs\/rules\.md#r10"\/>\n\s*<property name="rule" value="R7 docs\/rules\.md#r7"\/>\n\s*<\/properties>\n\s*<\/testcase>/);
  t.match(xml, /<testcase name="b" [^>]*>\n\s*<properties>\n\s*<property name="rule" value="R7 docs\/rules\.md#r7"\/>\n\s*<\/properties>\n\s*<failure /);
  t.match(xml, /<testcase name="c" [^>]*\/>/, 'no properties when no rule');
  t.equal((JSON.parse(render((w) => new JsonReporter(w))) as { rulesDoc: string }).rulesDoc, 'docs/rules.md');
});
