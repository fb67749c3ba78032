import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import { htmlReportData } from '../../harness/reporters/htmlReportData.js';
import { renderHtmlPage } from '../../harness/reporters/htmlPage.js';
import { parseRules } from '../../harness/reporters/rulesText.js';
import { discoverScenarios } from '../../harness/runner/discoverScenarios.js';
import { loadAll, runSuite } from '../../harness/runner/runSuite.js';
import { TraceCollector } from '../../harness/trace/traceCollector.js';
import { sharedBrowser } from '../helpers/chromium.js';

// Issue 15 item 4: the HTML report of a suite with a failing fixture, in a real headless Chromium:
// it lists the failure, opening it shows expected vs actual, and the trace steps forward to the
// failing expectation. One browser for the process (test/helpers/chromium.ts), the four small
// fixture scenarios run in memory.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(root, 'docs/images') : undefined;
const WAIT = 30_000;

const browser = await sharedBrowser();
if (typeof browser === 'string') {
  t.skip(`HTML report browser tests: ${browser}`, () => undefined);
} else {
  const prev = process.cwd();
  process.chdir(root);
  const { scenarios } = await loadAll(await discoverScenarios(['test/fixtures/scenarios']));
  const traces = new TraceCollector('retain-on-failure');
  const suite = await runSuite(scenarios, { jobs: 2, observe: traces.observe() });
  process.chdir(prev);
  const html = renderHtmlPage(
    htmlReportData({ selected: scenarios, suite, rules: parseRules(readFileSync(path.join(root, 'docs/rules.md'), 'utf8')), version: '0.1.0', traceMode: traces.mode, traces: (f) => traces.get(f) }),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'html-report-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request to ${r.url()}`);
  });
  // Opened as a CI artifact is: a file, no server, no network.
  await page.goto(pathToFileURL(file).href);

  t.test('the report lists the failure; opening it shows expected vs actual with file:line', async (t) => {
    t.equal(await page.locator('[data-card="passed"] b').textContent(), '2');
    t.equal(await page.locator('[data-card="failed"] b').textContent(), '2');
    const failure = page.locator('li.failure', { hasText: 'Fixture fails on a wrong cardholder count' });
    t.match(await failure.textContent(), /failing-count\.yaml:7/, 'the failing step at file:line');
    const details = page.locator('details.scenario[data-file$="failing-count.yaml"]');
    t.equal(await details.getAttribute('open'), null, 'closed until opened');
    await failure.locator('a.failure-link').click();
    await details.locator('tr.mismatch-row').first().waitFor({ timeout: WAIT });
    const row = details.locator('tr.mismatch-row').first();
    t.equal(await row.locator('td').nth(0).textContent(), 'count of cardholder');
    t.equal(await row.locator('td.expected').textContent(), '6', 'expected');
    t.equal(await row.locator('td.actual').textContent(), '5', 'actual, side by side');
    t.match(await details.locator('tr.step-failed .where').textContent(), 'test/fixtures/scenarios/failing-count.yaml:7');
    t.match(await page.locator('#matrix th.rule a', { hasText: /^R7$/ }).getAttribute('href'), '#rule-r7', 'rule ids link to their text');
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report.png'), fullPage: true });
    }
  });

  t.test('the trace steps forward, entry by entry, to the failing expectation', async (t) => {
    await page.locator('details.scenario[data-file$="failing-count.yaml"] button.open-trace').click();
    await page.locator('#trace.open #trace-rows tr.current').waitFor({ timeout: WAIT });
    t.match(await page.locator('#trace-title').textContent(), 'Fixture fails on a wrong cardholder count');
    const current = page.locator('#trace-rows tr.current');
    t.equal(await current.getAttribute('data-lane'), 'state', 'starts at the role state lane');
    const seen = new Set<string>();
    let steps = 0;
    for (; steps < 200; steps++) {
      const lane = (await current.getAttribute('data-lane')) ?? '';
      seen.add(lane);
      if (lane === 'expect' && (await current.getAttribute('data-ok')) === 'false') break;
      await page.locator('#trace-next').click();
    }
    t.ok(steps > 5 && steps < 200, `reached the failing expectation after ${steps} steps`);
    for (const lane of ['state', 'wire', 'sc', 'step', 'expect']) t.ok(seen.has(lane), `passed through the ${lane} lane`);
    const detail = page.locator('#trace-detail');
    t.match(await detail.locator('.where').textContent(), 'failing-count.yaml:7');
    t.equal(await detail.locator('td.expected').textContent(), '6');
    t.equal(await detail.locator('td.actual').textContent(), '5');
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'report-trace.png') });
    // Back one entry, then "next failure" jumps straight there again.
    await page.locator('#trace-prev').click();
    t.not(await current.getAttribute('data-ok'), 'false');
    await page.locator('#trace-next-failure').click();
    t.equal(await current.getAttribute('data-ok'), 'false', '"next failure" lands on it');
    await page.keyboard.press('Escape');
    t.equal(await page.locator('#trace.open').count(), 0, 'Escape closes the trace');
    t.same(problems, [], 'no page error, nothing requested beyond the file');
  });
}
