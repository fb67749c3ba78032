import { access, constants, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TestbenchError } from '../core/testbenchError.js';
import { JsonReporter } from '../harness/reporters/jsonReporter.js';
import { junitReport } from '../harness/reporters/junitReport.js';
import { TapReporter } from '../harness/reporters/tapReporter.js';
import type { SuiteResult } from '../harness/runner/results.js';
import type { Scenario } from '../harness/scenario/scenario.js';

export type ReportFormat = 'junit' | 'json' | 'tap' | 'html';

/** A report file asked for with --junit / --json / --tap; `-` is stdout. */
export interface ReportTarget {
  format: ReportFormat;
  file: string;
}

/**
 * Creates the report's folder before anything runs, or fails then (exit 2):
 * a suite must never run for minutes and lose its report at the end.
 */
export async function prepareReportTarget(t: ReportTarget): Promise<void> {
  if (t.file === '-') return;
  const dir = path.dirname(path.resolve(t.file));
  const fail = (why: string): never => {
    throw new TestbenchError('REPORT_PATH_INVALID', `--${t.format} ${t.file}: ${why}`, { file: t.file });
  };
  await mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => fail(`cannot create the folder ${dir} (${e.code ?? e.message})`));
  await access(dir, constants.W_OK).catch((e: NodeJS.ErrnoException) => fail(`cannot write in ${dir} (${e.code ?? e.message})`));
  const st = await stat(t.file).catch(() => null);
  if (st?.isDirectory()) fail('is a folder; name a file');
}

/** The report's text, built from the finished suite (written at the end, or when a signal stops the run). */
export function renderReport(format: Exclude<ReportFormat, 'html'>, selected: Scenario[], suite: SuiteResult): string {
  if (format === 'junit') return junitReport(suite);
  let text = '';
  const write = (s: string): void => void (text += s);
  const reporter = format === 'tap' ? new TapReporter(write) : new JsonReporter(write);
  reporter.start(selected);
  for (const r of suite.scenarios) reporter.scenario(r);
  reporter.end(suite);
  return text;
}

export async function writeReport(t: { format: Exclude<ReportFormat, 'html'>; file: string }, selected: Scenario[], suite: SuiteResult): Promise<void> {
  const text = renderReport(t.format, selected, suite);
  if (t.file === '-') process.stdout.write(text);
  else await writeFile(t.file, text);
}
