import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { htmlReportData } from '../harness/reporters/htmlReportData.js';
import { renderHtmlPage } from '../harness/reporters/htmlPage.js';
import { parseRules, type RuleText } from '../harness/reporters/rulesText.js';
import { RULES_DOC } from '../harness/reporters/ruleLinks.js';
import type { SuiteResult } from '../harness/runner/results.js';
import type { Scenario } from '../harness/scenario/scenario.js';
import type { TraceCollector } from '../harness/trace/traceCollector.js';
import { PACKAGE_ROOT, packageVersion } from './packageRoot.js';

/** docs/rules.md as shipped in the package, split per rule (none when it is missing). */
export async function bundledRules(): Promise<RuleText[]> {
  const text = await readFile(path.join(PACKAGE_ROOT, RULES_DOC), 'utf8').catch(() => '');
  return parseRules(text);
}

/** The default folder for trace files: next to the HTML report (`r.html` -> `r-traces/`), else ./sipass-testbench-traces. */
export function defaultTraceDir(htmlFile: string | undefined): string {
  if (htmlFile === undefined || htmlFile === '-') return 'sipass-testbench-traces';
  const parsed = path.parse(htmlFile);
  return path.join(parsed.dir, `${parsed.name}-traces`);
}

/** The run's HTML report: written at the end, or when a signal stopped the run (like --junit). */
export async function writeHtmlReport(file: string, selected: Scenario[], suite: SuiteResult, traces: TraceCollector, traceDir: string | undefined): Promise<void> {
  const data = htmlReportData({
    selected,
    suite,
    rules: await bundledRules(),
    version: packageVersion(),
    traceMode: traces.mode,
    traces: (f) => traces.get(f),
    ...(traceDir !== undefined ? { traceDir } : {}),
  });
  const html = renderHtmlPage(data);
  if (file === '-') process.stdout.write(html);
  else await writeFile(file, html);
}
