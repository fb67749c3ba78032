import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asciiChart, svgChart } from '../../bench/charts.js';
import { overheadReport, runDiagnosticsOverhead } from '../../bench/diagnosticsOverhead.js';
import { MIN_SIZE } from '../../bench/mix.js';
import { progressPrinter } from '../../bench/progress.js';
import { jsonReport, markdownReport, terminalReport } from '../../bench/report.js';
import { runBench } from '../../bench/runBench.js';
import { parseSize } from '../../bench/sizes.js';
import { UsageError, type Command } from '../command.js';
import { listOption, parseOptions } from '../parseOptions.js';

const USAGE = `Usage: sipass-testbench bench [options]

Measures a full sync of a generated site (a realistic mix of SiPass types)
between a fake server process and a role process over loopback TCP, against
the limit (the same frames decoded with no Security Center model), and the
live stream of alarms and events after ready. Goals are reported, not failed,
and each is judged only at the size it is defined for (n/a elsewhere).

Options:
  --sizes LIST      site sizes, suffixes k and M (default 10k,100k,1M)
  --reps N          repetitions per size, the median is reported (default 3)
  --live N          live-stream messages after ready, 0 to skip (default: 10
                    per entity of the largest size, 10k to 1M)
  --seed N          site seed (default 1)
  --json FILE       write the machine-readable report
  --markdown FILE   write the README section (tables, goals)
  --svg FILE        write the time-vs-size chart
  --cpu-prof DIR    profile every role process (node --cpu-prof) into DIR
  --quiet           no progress line
  --diagnostics-overhead
                    instead: sync the first of --sizes from a server without and
                    one with the diagnostic page (a client on its event stream),
                    --reps times each (ABBA order), and print the ratio of the
                    medians with the run-to-run noise (issue 15)

Exit code: 0 when every figure was measured correctly (goals may be missed),
1 when entities or live messages were lost or doubled, 2 on bad options.`;

function intOption(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = parseSize(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} ${JSON.stringify(value)} must be a whole number >= ${min} (suffixes k, M allowed)`);
  return n;
}

const OPTIONS = {
  sizes: { type: 'string' },
  reps: { type: 'string' },
  live: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'string' },
  markdown: { type: 'string' },
  svg: { type: 'string' },
  'cpu-prof': { type: 'string' },
  quiet: { type: 'boolean' },
  'diagnostics-overhead': { type: 'boolean' },
} as const;

type BenchValues = Partial<Record<Exclude<keyof typeof OPTIONS, 'quiet' | 'diagnostics-overhead'>, string>> & { quiet?: boolean; 'diagnostics-overhead'?: boolean };

async function writeOut(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmark full sync (10k..1M entities) and the live stream, against the wire limit',
  usage: USAGE,
  async run(argv) {
    const values = parseOptions(argv, OPTIONS).values as BenchValues;
    const sizes = (listOption(values.sizes) ?? ['10k', '100k', '1M']).map((s) => {
      const n = parseSize(s);
      if (!Number.isInteger(n) || n < MIN_SIZE) throw new UsageError(`--sizes: ${JSON.stringify(s)} is not a size of at least ${MIN_SIZE} (use e.g. 2k,100k,1M)`);
      return n;
    });
    if (sizes.length === 0) throw new UsageError('--sizes needs at least one size');
    const reps = intOption('reps', values.reps, 3, 1);
    const live = values.live === undefined ? undefined : intOption('live', values.live, 0, 0);
    const seed = intOption('seed', values.seed, 1, 0);
    if (values['diagnostics-overhead'] === true) {
      const size = sizes[0] ?? 0;
      const overhead = await runDiagnosticsOverhead({
        size,
        reps,
        seed,
        ...(values.quiet ? {} : { onRun: (r, i, of) => console.error(`run ${i}/${of} ${r.diagnostics ? 'with' : 'without'} the page: ${(r.ms / 1000).toFixed(2)} s`) }),
      });
      console.log(overheadReport(overhead));
      if (values.json !== undefined) await writeOut(values.json, `${JSON.stringify(overhead, null, 2)}\n`);
      return overhead.complete ? 0 : 1;
    }
    const prof = values['cpu-prof'];
    if (prof !== undefined) await mkdir(prof, { recursive: true });
    const report = await runBench({
      sizes,
      reps,
      ...(live !== undefined ? { live } : {}),
      seed,
      ...(prof !== undefined ? { roleExecArgv: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] } : {}),
      ...(values.quiet ? {} : { onProgress: progressPrinter(process.stderr) }),
    });
    console.log(terminalReport(report));
    console.log('');
    console.log(asciiChart(report));
    if (values.json !== undefined) await writeOut(values.json, jsonReport(report));
    if (values.svg !== undefined) await writeOut(values.svg, svgChart(report));
    if (values.markdown !== undefined) {
      const svgRef = values.svg !== undefined ? path.relative(path.dirname(path.resolve(values.markdown)), path.resolve(values.svg)) : undefined;
      await writeOut(values.markdown, markdownReport(report, svgRef));
    }
    for (const [what, file] of [['JSON', values.json], ['Markdown', values.markdown], ['SVG chart', values.svg]] as const) {
      if (file !== undefined) console.log(`${what}: ${file}`);
    }
    const correct = report.sizes.every((s) => s.complete) && (report.live?.ok ?? true);
    return correct ? 0 : 1;
  },
};
