import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem } from '../../harness/scenario/scenarioProblem.js';
import { discoverScenarios, shard } from '../../harness/runner/discoverScenarios.js';
import { loadAll, runSuite } from '../../harness/runner/runSuite.js';
import { JsonReporter } from '../../harness/reporters/jsonReporter.js';
import { junitReport } from '../../harness/reporters/junitReport.js';
import { PrettyReporter } from '../../harness/reporters/prettyReporter.js';
import type { Reporter } from '../../harness/reporters/reporter.js';
import { TapReporter } from '../../harness/reporters/tapReporter.js';
import { UsageError, type Command } from '../command.js';
import { DEFAULT_SUITE } from '../packageRoot.js';
import { optString, parseOptions } from '../parseOptions.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run scenario suites and report pass/fail (terminal, TAP, JUnit XML, JSON)',
  usage: `Usage: sipass-testbench run [PATHS...] [options]

Runs the scenarios in PATHS (files or folders; default: the bundled scenarios/).
Every file is validated first: any invalid file stops the run (exit 2).

Options:
  --reporter NAME   pretty (default), tap (TAP 14), json
  --junit FILE      also write JUnit XML to FILE
  --grep PATTERN    only scenarios whose name or file matches (a regular expression)
  --seed N          override every scenario's seed (back-off jitter, server epoch)
  --shard I/N       run the I-th of N slices (split a suite across CI jobs)
  --bail            stop after the first failing scenario
  --jobs N          scenarios in parallel (each on its own ephemeral port; default 2)

Exit codes: 0 all passed, 1 some failed, 2 invalid input.`,
  async run(argv) {
    const { values, positionals } = parseOptions(
      argv,
      {
        reporter: { type: 'string' },
        junit: { type: 'string' },
        grep: { type: 'string' },
        seed: { type: 'string' },
        shard: { type: 'string' },
        bail: { type: 'boolean' },
        jobs: { type: 'string' },
      },
      true,
    );
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
    const files = shard(await discoverScenarios(positionals.length ? positionals : [path.relative(process.cwd(), DEFAULT_SUITE) || '.']), optString(values.shard));
    const { scenarios, problems } = await loadAll(files);
    if (problems.length > 0) {
      for (const p of problems) console.error(formatProblem(p));
      console.error(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}: nothing was run.`);
      return 2;
    }
    const write = (s: string): void => void process.stdout.write(s);
    const reporter: Reporter = reporterName === 'tap' ? new TapReporter(write) : reporterName === 'json' ? new JsonReporter(write) : new PrettyReporter(write);
    const suite = await runSuite(scenarios, {
      jobs: Number(jobsText),
      bail: values.bail === true,
      ...(grep ? { grep } : {}),
      ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
      onStart: (s) => reporter.start(s),
      onResult: (r) => reporter.scenario(r),
    });
    reporter.end(suite);
    const junit = optString(values.junit);
    if (junit) await writeFile(junit, junitReport(suite));
    return suite.failed > 0 ? 1 : 0;
  },
};
