import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { htmlReportData, type HtmlReportData } from '../../harness/reporters/htmlReportData.js';
import { embedJson, renderHtmlPage } from '../../harness/reporters/htmlPage.js';
import { parseRules, RULE_IDS } from '../../harness/reporters/rulesText.js';
import { discoverScenarios } from '../../harness/runner/discoverScenarios.js';
import { loadAll, runSuite } from '../../harness/runner/runSuite.js';
import { TraceCollector, type TraceMode } from '../../harness/trace/traceCollector.js';
import type { ExpectEntry, ScenarioTrace } from '../../harness/trace/traceEntry.js';
import { traceFileName } from '../../cli/traceFiles.js';

// Issue 15 item 2: the HTML report and its traces, built in memory from real runs (no browser here:
// test/e2e/htmlReport.browser.test.ts drives the page).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rules = parseRules(readFileSync(path.join(root, 'docs/rules.md'), 'utf8'));

/** Every `src=`/`href=` of the page: a self-contained page only points inside itself. */
const references = (html: string): string[] => [...html.matchAll(/\b(?:src|href|action)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1] ?? '');
const dataOf = (html: string): HtmlReportData => JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as HtmlReportData;

async function runIn(paths: string[], mode: TraceMode): Promise<{ html: (keep: TraceMode) => string; traces: TraceCollector }> {
  const prev = process.cwd();
  process.chdir(root);
  try {
    const { scenarios, problems } = await loadAll(await discoverScenarios(paths));
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
    const traces = new TraceCollector(mode);
    const suite = await runSuite(scenarios, { jobs: 2, observe: traces.observe() });
    const html = (keep: TraceMode): string =>
      renderHtmlPage(
        htmlReportData({
          selected: scenarios,
          suite,
          rules,
          version: '0.0.0-test',
          traceMode: keep,
          // Traces kept as `keep` would have kept them, from the one run that recorded every one.
          traces: (f) => {
            const tr = traces.get(f);
            return tr && (keep === 'on' || (keep === 'retain-on-failure' && tr.scenario.status !== 'passed')) ? tr : undefined;
          },
        }),
      );
    return { html, traces };
  } finally {
    process.chdir(prev);
  }
}

t.test('docs/rules.md gives the report R1..R15 with their text', async (t) => {
  t.same(rules.map((r) => r.id), RULE_IDS);
  t.match(rules[3], { id: 'R4', title: 'Alarm recipients', text: /copy of the role's recipient list/ });
  t.same(parseRules('no anchors here'), []);
});

t.test('embedded JSON cannot close its script element or name an outside address', async (t) => {
  const tricky = { name: '</script><script>alert(1)</script>', url: 'see https://example.invalid/x', sep: '\u2028' };
  const text = embedJson(tricky);
  t.notMatch(text, /<\/script/i);
  t.notMatch(text, /https?:\/\//);
  t.same(JSON.parse(text), tricky, 'the same data once parsed');
});

t.test('fixture suite: failures listed with file:line and expected vs actual; failed traces kept and step to the failing expectation', async (t) => {
  const { html, traces } = await runIn(['test/fixtures/scenarios'], 'retain-on-failure');
  const page = html('retain-on-failure');
  const data = dataOf(page);
  t.match(data.summary, { status: 'failed', passed: 2, failed: 2, errored: 0, skipped: 0, version: '0.0.0-test', traceMode: 'retain-on-failure' });
  const failed = data.scenarios.find((s) => s.file.endsWith('failing-count.yaml'));
  const bad = failed?.steps.find((s) => s.status === 'failed');
  t.match(bad, { where: 'test/fixtures/scenarios/failing-count.yaml:7', mismatches: [{ what: 'count of cardholder', expected: 6, actual: 5 }] });
  t.equal(data.traces.length, 2, 'traces of the two failing scenarios only');
  t.equal(data.scenarios.filter((s) => s.trace !== undefined).length, 2);
  t.match(data.rules.find((r) => r.id === 'R7'), { scenarios: 1, failing: 1, title: 'Synchronization' });

  const trace = traces.get('test/fixtures/scenarios/failing-count.yaml') as ScenarioTrace;
  const lanes = new Set(trace.entries.map((e) => e.lane));
  for (const lane of ['state', 'wire', 'sc', 'step', 'expect'] as const) t.ok(lanes.has(lane), `the ${lane} lane has entries`);
  const states = trace.entries.flatMap((e) => (e.lane === 'state' ? [e.state] : []));
  t.same(states, ['unconfigured', 'connecting', 'syncing', 'ready'], "the role's state lane, in order");
  const wire = trace.entries.flatMap((e) => (e.lane === 'wire' ? [`${e.dir}:${e.t}`] : []));
  t.same(wire.slice(0, 5), ['toServer:connected', 'toServer:hello', 'toRole:welcome', 'toServer:syncRequest', 'toRole:syncBegin'], 'wire messages both ways');
  const hello = trace.entries.find((e) => e.lane === 'wire' && e.t === 'hello');
  t.match(hello, { fields: { roleName: 'SiPass plugin', lastSeq: 0 } }, 'with their fields');
  t.match(trace.entries.find((e) => e.lane === 'sc' && e.what === 'entities'), { text: /cardholder 0→5/ }, 'Security Center changes');
  const expects = trace.entries.filter((e): e is ExpectEntry => e.lane === 'expect');
  t.same(expects.map((e) => e.ok), [true, false, true], 'each expectation checked');
  t.match(expects[1], { where: 'test/fixtures/scenarios/failing-count.yaml:7', expected: { counts: { cardholder: 6 } }, mismatches: [{ expected: 6, actual: 5 }] });
  const failIndex = trace.entries.indexOf(expects[1] as ExpectEntry);
  const readyIndex = trace.entries.findIndex((e) => e.lane === 'state' && e.state === 'ready');
  t.ok(readyIndex < failIndex, 'the failing expectation comes after the role was ready');
  t.equal(traceFileName(trace.scenario.file), 'test-fixtures-scenarios-failing-count.trace.json');
  t.equal(traceFileName('scenarios/faults/connection-resets.yaml'), 'faults-connection-resets.trace.json');
});

t.test('the bundled suite: one self-contained file, no http(s) reference, under 5 MB (retain-on-failure, and on)', async (t) => {
  const { html } = await runIn(['scenarios'], 'on');
  for (const mode of ['retain-on-failure', 'on'] as const) {
    const page = html(mode);
    const bytes = Buffer.byteLength(page);
    t.comment(`bundled suite, --trace ${mode}: ${bytes} bytes`);
    t.ok(bytes < 5 * 1024 * 1024, `--trace ${mode}: ${bytes} bytes < 5 MB`);
    t.notMatch(page, /https?:\/\//i, `--trace ${mode}: no http:// or https:// anywhere in the file`);
    t.same(references(page).filter((r) => !r.startsWith('#')), [], `--trace ${mode}: every src/href points inside the page`);
    const data = dataOf(page);
    t.ok(data.scenarios.length >= 60, `${data.scenarios.length} scenarios in the report`);
    if (mode === 'on') t.equal(data.traces.length, data.scenarios.length, 'every trace kept with --trace on');
  }
});
