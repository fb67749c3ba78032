import { formatDuration } from '../../core/duration.js';
import type { NotRun, ScenarioResult, SuiteResult } from '../runner/results.js';
import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioTrace } from '../trace/traceEntry.js';
import type { TraceMode } from '../trace/traceCollector.js';
import { RULE_IDS, type RuleText } from './rulesText.js';

/** Everything the HTML report shows, embedded in the page as one JSON document. */
export interface HtmlReportData {
  kind: 'report';
  title: string;
  summary: {
    status: 'passed' | 'failed' | 'interrupted';
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    wall: string;
    simulated: string;
    seed: string;
    version: string;
    traceMode: TraceMode;
    /** Where the traces were also written as files (absent: not written). */
    traceDir?: string;
  };
  rules: Array<RuleText & { scenarios: number; failing: number }>;
  scenarios: Array<{
    name: string;
    file: string;
    rules: string[];
    status: ScenarioResult['status'];
    wall: string;
    simulated: string;
    error?: { code: string; message: string };
    steps: Array<{ index: number; label: string; where: string; status: string; at: string; error?: { code: string; message: string }; mismatches: ScenarioResult['steps'][number]['mismatches'] }>;
    invariantViolations: ScenarioResult['invariantViolations'];
    /** Index into `traces`, when this scenario's trace was kept. */
    trace?: number;
  }>;
  notRun: NotRun[];
  traces: ScenarioTrace[];
}

/** The data shown by show-trace: traces only. */
export interface HtmlTraceData {
  kind: 'trace';
  title: string;
  traces: ScenarioTrace[];
}

export interface HtmlReportInput {
  selected: readonly Scenario[];
  suite: SuiteResult;
  rules: readonly RuleText[];
  version: string;
  traceMode: TraceMode;
  traces: (file: string) => ScenarioTrace | undefined;
  traceDir?: string;
}

/** Builds the report's data from the finished (or interrupted) suite. */
export function htmlReportData(input: HtmlReportInput): HtmlReportData {
  const { suite } = input;
  const errored = suite.scenarios.filter((r) => r.status === 'error').length;
  const failed = suite.scenarios.filter((r) => r.status === 'failed').length;
  const skipped = suite.notRun?.length ?? 0;
  const interrupted = (suite.notRun ?? []).some((n) => n.reason === 'interrupted');
  const traces: ScenarioTrace[] = [];
  const scenarios = suite.scenarios.map((r) => {
    const trace = input.traces(r.file);
    if (trace) traces.push(trace);
    return {
      name: r.name,
      file: r.file,
      rules: r.rules,
      status: r.status,
      wall: formatDuration(r.wallMs),
      simulated: formatDuration(r.simulatedMs),
      ...(r.error ? { error: r.error } : {}),
      steps: r.steps.map((s) => ({
        index: s.index,
        label: s.label,
        where: `${s.at.file}:${s.at.line}`,
        status: s.status,
        at: formatDuration(s.simulatedAt),
        ...(s.error ? { error: s.error } : {}),
        mismatches: s.mismatches,
      })),
      invariantViolations: r.invariantViolations,
      ...(trace ? { trace: traces.length - 1 } : {}),
    };
  });
  const known = new Map(input.rules.map((r) => [r.id, r]));
  const rules = RULE_IDS.map((id) => {
    const covering = suite.scenarios.filter((s) => s.rules.includes(id));
    const r = known.get(id) ?? { id, title: '(not in docs/rules.md)', text: '' };
    return { ...r, scenarios: covering.length, failing: covering.filter((s) => s.status !== 'passed').length };
  });
  return {
    kind: 'report',
    title: 'sipass-testbench run report',
    summary: {
      status: interrupted ? 'interrupted' : failed + errored > 0 ? 'failed' : 'passed',
      passed: suite.passed,
      failed,
      errored,
      skipped,
      wall: formatDuration(suite.wallMs),
      simulated: formatDuration(suite.scenarios.reduce((n, r) => n + r.simulatedMs, 0)),
      seed: suite.seed === null ? "each scenario's own" : String(suite.seed),
      version: input.version,
      traceMode: input.traceMode,
      ...(input.traceDir !== undefined ? { traceDir: input.traceDir } : {}),
    },
    rules,
    scenarios,
    notRun: suite.notRun ?? [],
    traces,
  };
}
