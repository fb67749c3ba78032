import t from 'tap';
import { evaluateGoals } from '../../bench/goals.js';
import { mixFor, populationFor } from '../../bench/mix.js';
import { progressPrinter, progressText } from '../../bench/progress.js';
import type { BenchReport, SizeResult } from '../../bench/runBench.js';
import { formatSize, parseSize } from '../../bench/sizes.js';
import { median, scalingExponent } from '../../bench/stats.js';
import { formatBytes, formatInt, formatMs } from '../../bench/units.js';
import { asciiChart, svgChart } from '../../bench/charts.js';
import { markdownReport, terminalReport } from '../../bench/report.js';

t.test('sizes: k and M suffixes both ways', async (t) => {
  t.equal(parseSize('2k'), 2000);
  t.equal(parseSize('1M'), 1_000_000);
  t.equal(parseSize('1.5k'), 1500);
  t.equal(parseSize('100000'), 100_000);
  t.ok(Number.isNaN(parseSize('1.5')));
  t.ok(Number.isNaN(parseSize('k')));
  t.equal(formatSize(10_000), '10k');
  t.equal(formatSize(1_000_000), '1M');
  t.equal(formatSize(1500), '1.5k');
  t.equal(formatSize(123), '123');
});

t.test('the mix: exact totals, every type, capped catalogues', async (t) => {
  for (const n of [100, 2000, 12_345, 1_000_000]) {
    const m = mixFor(n);
    t.equal(Object.values(m).reduce((a, b) => a + b, 0), n, `${n}`);
    t.ok(Object.values(m).every((c) => c >= 1));
  }
  const big = mixFor(10_000_000);
  t.equal(big.alarmClasses, 2000);
  t.equal(big.eventTypes, 2000);
  t.equal(mixFor(1_000_000).credentials, 200_000);
  t.throws(() => mixFor(99));
  t.equal(populationFor(1000, 7).seed, 7);
});

t.test('stats', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 2, 3]), 2.5);
  t.ok(Number.isNaN(median([])));
  t.equal(scalingExponent(10, 1, 100, 10), 1);
  t.equal(scalingExponent(10, 1, 100, 100), 2);
});

t.test('units', async (t) => {
  t.equal(formatBytes(512), '512 B');
  t.equal(formatBytes(1536), '1.50 KiB');
  t.equal(formatBytes(1.5 * 1024 ** 3), '1.50 GiB');
  t.equal(formatBytes(Number.NaN), '-');
  t.equal(formatMs(12.34), '12.3 ms');
  t.equal(formatMs(1234), '1.23 s');
  t.equal(formatMs(Number.NaN), '-');
  t.equal(formatInt(1234567.8), '1,234,568');
  t.equal(formatInt(Number.NaN), '-');
});

function size(n: number, syncMs: number, limitMs: number, rss: number, serverRss: number): SizeResult {
  return {
    size: n, mix: mixFor(n), reps: [{ syncMs, limitMs, bytes: n * 100, limitBytes: n * 100, entities: n, limitEntities: n, digestOk: true, rolePeakRss: rss, rolePeakHeap: rss / 2, errors: [] }],
    syncMs, limitMs, ratio: syncMs / limitMs, entitiesPerSec: n / syncMs * 1000, limitEntitiesPerSec: n / limitMs * 1000,
    bytes: n * 100, rolePeakRss: rss, rolePeakHeap: rss / 2, serverPeakRss: serverRss, complete: n !== 100_000,
  };
}

function report(over: Partial<BenchReport> = {}): Omit<BenchReport, 'goals'> {
  return {
    tool: 'sipass-testbench bench', date: '2025-01-01T00:00:00.000Z',
    machine: { node: 'v20', platform: 'linux-x64', cpus: 2, cpuModel: 'cpu', memory: 2 ** 34 },
    options: { sizes: [100_000, 1_000_000], reps: 1, live: 1000, seed: 1 },
    sizes: [size(100_000, 1000, 400, 2 ** 28, 2 ** 26), size(1_000_000, 20_000, 4000, 2 * 1024 ** 3, 300 * 1024 ** 2)],
    scaling: { from: 100_000, to: 1_000_000, exponent: scalingExponent(1e5, 1000, 1e6, 20_000) },
    live: { requested: 1000, sent: 1000, alarms: 500, events: 499, received: 999, lost: 1, doubled: 0, ms: 100, perSec: 10_000, lastSeqMatch: false, siteSize: 100_000, ok: false },
    ...over,
  };
}

t.test('goals: every miss says by how much', async (t) => {
  const goals = evaluateGoals(report());
  const by = Object.fromEntries(goals.map((g) => [g.id, g]));
  t.equal(by.ratio!.met, false);
  t.match(by.ratio!.miss, /missed by 3\.00x \(150% over\)/);
  t.equal(by.scaling!.met, false);
  t.match(by.scaling!.actual, '1.30');
  t.match(by.roleRss!.miss, /missed by 512 MiB/);
  t.match(by.serverRss!.miss, /missed by 44\.0 MiB/);
  t.match(by.live!.miss, /short by 40,000 msg\/s.*1 lost.*lastSeq/);
  const ok = evaluateGoals(report({ sizes: [size(1_000_000, 5000, 3000, 2 ** 29, 2 ** 26)], scaling: null, live: null }));
  t.same(ok.map((g) => g.met), [true, null, true, true, null]);
  const full = { ...report(), goals };
  t.match(terminalReport(full), /MISSED/);
  t.match(terminalReport(full), /! = a repetition/);
  t.match(markdownReport(full), /\| scaling exponent 100k -> 1M \| <= 1\.10 \| 1\.30 \| MISSED/);
  t.notMatch(markdownReport(full), /!\[/);
  t.match(asciiChart(full), /1M/);
  t.match(svgChart(full), /<circle/);
  const nan = { ...full, live: { ...full.live!, ms: Number.NaN, perSec: Number.NaN } };
  t.match(evaluateGoals(nan).find((g) => g.id === 'live')!.miss, /no throughput/);
});

t.test('progress lines', async (t) => {
  const base = { size: 100_000, rep: 2, reps: 3 };
  t.match(progressText({ ...base, phase: 'server' }), /\[100k rep 2\/3\] starting/);
  t.match(progressText({ ...base, phase: 'limit' }), /limit/);
  t.match(progressText({ ...base, phase: 'sync', done: 50_000, total: 100_000 }), /full sync 50% \(50,000 \/ 100,000\)/);
  t.match(progressText({ ...base, phase: 'live', done: 0, total: 1000 }), /\[live\] streaming 1,000/);
  t.match(progressText({ ...base, phase: 'done' }), /done/);
  const lines: string[] = [];
  const plain = progressPrinter({ write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream);
  plain({ ...base, phase: 'sync', done: 1, total: 10 });
  plain({ ...base, phase: 'sync', done: 2, total: 10 });
  plain({ ...base, phase: 'done' });
  t.equal(lines.length, 2, 'one line per phase when not a terminal');
  const tty: string[] = [];
  const live = progressPrinter({ isTTY: true, write: (s: string) => tty.push(s) } as unknown as NodeJS.WriteStream);
  live({ ...base, phase: 'sync', done: 1, total: 10 });
  live({ ...base, phase: 'done' });
  t.ok(tty[0]!.startsWith("\r\u001b[K[100k"), "rewritten in place");
  t.equal(tty[1], '\r\x1b[K');
});
