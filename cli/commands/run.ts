import path from 'node:path';
import { formatProblem } from '../../harness/scenario/scenarioProblem.js';
import { discoverScenarios, shard } from '../../harness/runner/discoverScenarios.js';
import { loadAll, runSuite } from '../../harness/runner/runSuite.js';
import type { SuiteResult } from '../../harness/runner/results.js';
import { JsonReporter } from '../../harness/reporters/jsonReporter.js';
import { PrettyReporter } from '../../harness/reporters/prettyReporter.js';
import type { Reporter } from '../../harness/reporters/reporter.js';
import { TapReporter } from '../../harness/reporters/tapReporter.js';
import { TRACE_MODES, TraceCollector, type TraceMode } from '../../harness/trace/traceCollector.js';
import { colourEnabled } from '../colourEnabled.js';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { defaultTraceDir, writeHtmlReport } from '../htmlReport.js';
import { DEFAULT_SUITE } from '../packageRoot.js';
import { durationOption, optString, parseOptions } from '../parseOptions.js';
import { prepareReportTarget, writeReport, type ReportFormat, type ReportTarget } from '../reportTargets.js';
import { SCENARIO_LOAD_OPTIONS, scenarioLoadOptions, scenarioLoadUsage } from '../scenarioLoadOptions.js';
import { prepareTraceDir, writeTraceFiles } from '../traceFiles.js';

const SIGNAL_EXIT = { SIGINT: EXIT.SIGINT, SIGTERM: EXIT.SIGTERM } as const;

export const runCommand: Command = {
  name: 'run',
  summary: 'Run scenario suites and report pass/fail (terminal, TAP, JUnit XML, JSON, HTML with traces)',
  usage: `Usage: sipass-testbench run [PATHS...] [options]

Runs the scenarios in PATHS: files, folders or globs ("scenarios/r0*/*.yaml",
quoted or not); default: the bundled scenarios/. Every selected file is
validated first: any invalid file stops the run (exit 2).

Options:
  --reporter NAME         pretty (default), tap (TAP 14), json: written to stdout
  --junit FILE            also write JUnit XML to FILE
  --json FILE             also write the JSON report to FILE
  --tap FILE              also write TAP 14 to FILE
  --html FILE             also write one self-contained HTML report to FILE (summary,
                          rule matrix, steps with expected vs actual, traces to step through)
                          (report folders are created first; FILE "-" is stdout,
                          and the --reporter output then goes to stderr)
  --trace MODE            which scenarios keep a trace: on, retain-on-failure, off
                          (default: retain-on-failure with --html or --trace-dir, else off);
                          kept traces are embedded in the HTML report and written as files
  --trace-dir DIR         where trace files go (default: next to the --html report,
                          r.html -> r-traces/; else ./sipass-testbench-traces); open one
                          with \`sipass-testbench show-trace FILE\`
  --grep PATTERN          only scenarios whose name or file matches (a regular expression)
  --seed N                override every scenario's seed (back-off jitter, server epoch)
  --shard I/N             run the I-th of N slices of the selected scenarios (CI jobs)
  --bail                  stop after the first failing scenario (the rest: not run)
  --jobs N                scenarios in parallel (each on its own ephemeral port; default 2)
  --pass-with-no-tests    exit 0 when nothing is selected (alias --passWithNoTests)
  --timeout DURATION      wall-time limit per scenario (default 60s)
  --sim-timeout DURATION  simulated-time limit per scenario (default 1h)
                          (a scenario's own limits: { wall, simulated } win; a
                          scenario past a limit fails, naming it)
${scenarioLoadUsage(24)}

Selecting nothing (no files, a --grep that matches none, a glob that matches
nothing) fails: exit 1 with one line saying why. An empty shard of a
non-empty selection (3 scenarios, --shard 4/4) passes with a note: its
scenarios run in the other shards.

SIGINT/SIGTERM stop the run: the reports are written with the scenarios that
finished (the others marked interrupted), exit 130/143.

Exit codes: 0 all passed, 1 some failed or none selected, 2 invalid input,
130/143 interrupted, 141 stdout closed early (| head).`,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        reporter: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'string' },
        tap: { type: 'string' },
        html: { type: 'string' },
        trace: { type: 'string' },
        'trace-dir': { type: 'string' },
        grep: { type: 'string' },
        seed: { type: 'string' },
        shard: { type: 'string' },
        bail: { type: 'boolean' },
        jobs: { type: 'string' },
        'pass-with-no-tests': { type: 'boolean' },
        passWithNoTests: { type: 'boolean' },
        timeout: { type: 'string' },
        'sim-timeout': { type: 'string' },
        ...SCENARIO_LOAD_OPTIONS,
      },
      true,
    );
    const loadOptions = await scenarioLoadOptions(values);
    const reporterName = optString(values.reporter) ?? 'pretty';
    if (!['pretty', 'tap', 'json'].includes(reporterName)) throw new UsageError(`--reporter ${reporterName}: use pretty, tap or json`);
    const seedText = optString(values.seed);
    if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UsageError(`--seed ${seedText}: a whole number`);
    const jobsText = optString(values.jobs) ?? '2';
    if (!/^[1-9]\d*$/.test(jobsText)) throw new UsageError(`--jobs ${jobsText}: a whole number from 1`);
    let grep: RegExp | undefined;
    const grepText = optString(values.grep);
    if (grepText !== undefined) {
      try {
        grep = new RegExp(grepText, 'i');
      } catch (e) {
        throw new UsageError(`--grep ${grepText}: ${(e as Error).message}`);
      }
    }
    const wallText = optString(values.timeout);
    const simText = optString(values['sim-timeout']);
    const limits = {
      ...(wallText !== undefined ? { wallMs: durationOption('timeout', wallText, 0) } : {}),
      ...(simText !== undefined ? { simulatedMs: durationOption('sim-timeout', simText, 0, { anyLength: true }) } : {}),
    };
    const passWithNoTests = values['pass-with-no-tests'] === true || values.passWithNoTests === true;
    const targets: ReportTarget[] = (['junit', 'json', 'tap'] as ReportFormat[]).flatMap((format) => {
      const file = optString(values[format]);
      return file === undefined ? [] : [{ format, file }];
    });
    const htmlFile = optString(values.html);
    if (htmlFile !== undefined) targets.push({ format: 'html', file: htmlFile });
    const traceDirText = optString(values['trace-dir']);
    const traceText = optString(values.trace) ?? (htmlFile !== undefined || traceDirText !== undefined ? 'retain-on-failure' : 'off');
    if (!TRACE_MODES.includes(traceText as TraceMode)) throw new UsageError(`--trace ${traceText}: use ${TRACE_MODES.join(', ')}`);
    const traces = new TraceCollector(traceText as TraceMode);
    const traceDir = traces.mode === 'off' ? undefined : (traceDirText ?? defaultTraceDir(htmlFile));
    const toStdout = targets.filter((t) => t.file === '-');
    if (toStdout.length > 1) throw new UsageError(`${toStdout.map((t) => `--${t.format} -`).join(' and ')}: only one report can go to stdout`);
    // Report paths are checked (and their folders made) before anything runs: exit 2, not a lost report.
    for (const t of targets) await prepareReportTarget(t);
    if (traceDir !== undefined) await prepareTraceDir(traceDir);

    const paths = positionals.length ? positionals : [path.relative(process.cwd(), DEFAULT_SUITE) || '.'];
    const files = await discoverScenarios(paths);
    const { scenarios, problems } = await loadAll(files, loadOptions);
    if (problems.length > 0) {
      for (const p of problems) console.error(formatProblem(p));
      console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}: nothing was run.`);
      return EXIT.USAGE;
    }
    const picked = grep ? scenarios.filter((s) => grep.test(s.name) || grep.test(s.file)) : scenarios;
    const shardSpec = optString(values.shard);
    const selected = shard(picked, shardSpec);
    if (picked.length === 0) {
      // No silent greens: a CI job that ran nothing must not pass by accident, and when it is allowed to,
      // its log still says so.
      const why =
        files.length === 0
          ? `no scenario files in ${paths.join(', ')}`
          : `--grep ${JSON.stringify(grepText)} matches none of the ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}`;
      if (!passWithNoTests) {
        console.error(`sipass-testbench run: no scenarios selected: ${why} (--pass-with-no-tests allows an empty run)`);
        return EXIT.FAILED;
      }
      console.error(`sipass-testbench run: no scenarios selected: ${why}; an empty run passes because of --pass-with-no-tests`);
    }
    if (picked.length > 0 && selected.length === 0) {
      console.error(`sipass-testbench run: shard ${shardSpec} is empty: the ${picked.length} selected scenario${picked.length === 1 ? '' : 's'} run in the other shards`);
    }

    // With a report on stdout (`--junit -`), the --reporter output moves to stderr so stdout stays one document.
    const stream = toStdout.length > 0 ? process.stderr : process.stdout;
    const write = (s: string): void => void stream.write(s);
    const reporter: Reporter =
      reporterName === 'tap' ? new TapReporter(write) : reporterName === 'json' ? new JsonReporter(write) : new PrettyReporter(write, { colour: colourEnabled(stream) });

    const stop = new AbortController();
    let signal: keyof typeof SIGNAL_EXIT | undefined;
    const onSignal = (sig: keyof typeof SIGNAL_EXIT): void => {
      // A second Ctrl-C does not wait for the reports.
      if (signal) process.exit(SIGNAL_EXIT[sig]);
      signal = sig;
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let suite: SuiteResult;
    try {
      suite = await runSuite(selected, {
        jobs: Number(jobsText),
        bail: values.bail === true,
        signal: stop.signal,
        limits,
        ...(traces.observe() ? { observe: traces.observe() } : {}),
        ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
        onStart: (s) => reporter.start(s),
        onResult: (r) => reporter.scenario(r),
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    reporter.end(suite);
    for (const t of targets) {
      if (t.format === 'html') await writeHtmlReport(t.file, selected, suite, traces, traceDir);
      else await writeReport({ format: t.format, file: t.file }, selected, suite);
    }
    if (traceDir !== undefined) {
      const kept = traces.all();
      const written = await writeTraceFiles(traceDir, kept);
      // The example to open: a failed scenario's trace when there is one.
      const example = written[Math.max(0, kept.findIndex((x) => x.scenario.status !== 'passed'))];
      if (example) console.error(`sipass-testbench run: ${written.length} trace${written.length === 1 ? '' : 's'} in ${traceDir} (open one: sipass-testbench show-trace ${example})`);
    }
    if (signal) {
      console.error(`sipass-testbench run: stopped by ${signal}: ${suite.scenarios.length} finished, ${suite.notRun?.length ?? 0} interrupted; reports written`);
      // Scenarios still running hold sockets open: leave now (stdout and files are written synchronously on exit).
      process.exit(SIGNAL_EXIT[signal]);
    }
    return suite.failed > 0 ? EXIT.FAILED : EXIT.OK;
  },
};
