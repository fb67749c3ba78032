import t from 'tap';
import { evaluateGoals } from '../../bench/goals.js';
import { mixFor, populationFor } from '../../bench/mix.js';
import { progressPrinter, progressText } from '../../bench/progress.js';
import { defaultLiveCount, liveSiteSize, type BenchReport, type SizeResult } from '../../bench/runBench.js';
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
    size: n, mix: mixFor(n), reps: [{ syncMs, limitMs, floorMs: limitMs / 2, bytes: n * 100, limitBytes: n * 100, entities: n, limitEntities: n, floorEntities: n, digestOk: true, rolePeakRss: rss, rolePeakHeap: rss / 2, errors: [], roleCpuMs: syncMs * 0.9, limitCpuMs: limitMs / 2, floorCpuMs: limitMs / 3 }],
    syncMs, limitMs, ratio: syncMs / limitMs,
    breakdown: {
      generateMs: limitMs * 0.9, generatePerSec: (n / (limitMs * 0.9)) * 1000, floorMs: limitMs / 2, floorPerSec: (n / (limitMs / 2)) * 1000, limitMs, roleMs: syncMs,
      generateShare: 0.9, floorShare: 0.5, roleVsFloor: syncMs / (limitMs / 2), bound: 'server generation',
      generateCpuMs: limitMs * 0.85, floorCpuMs: limitMs / 3, limitCpuMs: limitMs / 2, roleCpuMs: syncMs * 0.9, roleBusy: 0.9, roleCpuVsLimit: (syncMs * 0.9) / limitMs,
    }, entitiesPerSec: n / syncMs * 1000, limitEntitiesPerSec: n / limitMs * 1000,
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
    live: { requested: 1_000_000, sent: 1_000_000, alarms: 500_000, events: 499_999, received: 999_999, lost: 1, doubled: 0, ms: 100_000, perSec: 10_000, lastSeqMatch: false, siteSize: 100_000, limitPerSec: 20_000, limitReceived: 1_000_000, ratio: 0.5, ok: false },
    ...over,
  };
}

t.test('goals: every miss says by how much', async (t) => {
  const goals = evaluateGoals(report());
  const at = (id: string, label: RegExp) => goals.find((g) => g.id === id && label.test(g.label))!;
  t.equal(at('ratio', /1M/).met, false);
  t.match(at('ratio', /1M/).miss, /missed by 3\.50x \(233% over\)/);
  t.equal(at('scaling', /100k -> 1M/).met, false);
  t.match(at('scaling', /100k -> 1M/).actual, '1.30');
  t.match(at('roleRss', /at 1M/).miss, /missed by 1\.50 GiB/);
  t.match(at('serverRss', /at 1M/).miss, /missed by 44\.0 MiB/);
  t.match(at('live', /live/).miss, /short by 0\.20x \(29% under\).*1 lost.*lastSeq/);
  t.match(at('live', /live/).actual, /0\.50x \(10,000 vs 20,000 msg\/s\)/);
  const ok = evaluateGoals(report({ sizes: [size(1_000_000, 4000, 3000, 2 ** 29, 2 ** 26)], scaling: null, live: null }));
  t.same(
    ok.map((g) => [g.id, g.met]),
    [['ratio', true], ['roleRss', true], ['serverRss', true], ['roleRss', null], ['serverRss', null], ['scaling', null], ['scaling', null], ['live', null]],
    'judged at 1M; the 10M goals and the scaling (one size) are n/a',
  );
  const full = { ...report(), goals };
  t.match(terminalReport(full), /MISSED/);
  t.match(terminalReport(full), /! = a repetition/);
  t.match(markdownReport(full), /\| scaling exponent 100k -> 1M \| <= 1\.10 \| 1\.30 \| MISSED/);
  t.notMatch(markdownReport(full), /!\[/);
  t.match(asciiChart(full), /1M/);
  t.match(svgChart(full), /<circle/);
  const nan = { ...full, live: { ...full.live!, ms: Number.NaN, perSec: Number.NaN, ratio: Number.NaN } };
  t.match(evaluateGoals(nan).find((g) => g.id === 'live')!.miss, /no throughput/);
});

t.test('goals are judged only at the sizes they are defined for', async (t) => {
  const small = evaluateGoals(report({ sizes: [size(10_000, 900, 50, 2 ** 27, 2 ** 26)], scaling: null, live: { ...report().live!, requested: 100_000, sent: 100_000, received: 100_000, lost: 0, lastSeqMatch: true, perSec: 1000, ratio: 0.1, ok: true } }));
  t.ok(small.every((g) => g.met === null), 'at 10k (ratio 18x, 1,000 msg/s) nothing is judged');
  t.ok(small.filter((g) => g.id !== 'live').every((g) => /^n\/a \(.* not in this run\)$/.test(g.actual)), 'each says which size it needs');
  t.match(small.find((g) => g.id === 'live')!.actual, /0\.10x \(1,000 vs 20,000 msg\/s\), 0 lost, 0 doubled \(throughput judged from 1M messages\)/);
  const lossy = evaluateGoals(report({ sizes: [size(10_000, 900, 50, 2 ** 27, 2 ** 26)], live: { ...report().live!, sent: 1000, received: 999 } })).find((g) => g.id === 'live')!;
  t.equal(lossy.met, false, 'a lost message is a miss at any count');
  t.notMatch(lossy.miss, /short by/, 'but not the throughput of a short stream');
  const big = evaluateGoals(report({ sizes: [size(1_000_000, 4000, 3000, 2 ** 29, 2 ** 26), size(10_000_000, 42_000, 30_000, 3 * 1024 ** 3, 2 ** 27)] }));
  t.same(big.filter((g) => g.met !== null).map((g) => g.label), ['sync time vs the limit at 1M', 'role peak RSS at 1M', 'server peak RSS at 1M', 'role peak RSS at 10M', 'server peak RSS at 10M', 'scaling exponent 1M -> 10M', 'live stream (1,000,000 msgs)']);
  t.equal(big.find((g) => /1M -> 10M/.test(g.label))!.actual, scalingExponent(1e6, 4000, 1e7, 42_000).toFixed(2));
});

t.test('the live stream scales with the largest size', async (t) => {
  t.equal(defaultLiveCount([10_000]), 100_000);
  t.equal(defaultLiveCount([2_000]), 20_000);
  t.equal(defaultLiveCount([100]), 10_000);
  t.equal(defaultLiveCount([10_000, 100_000, 1_000_000]), 1_000_000);
  t.equal(defaultLiveCount([10_000_000]), 1_000_000);
  t.equal(liveSiteSize([10_000, 1_000_000]), 10_000, 'the live site is the smallest size');
  t.equal(liveSiteSize([10_000_000]), 100_000, 'at most 100k');
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
  plain({ ...base, phase: 'sync', done: 1, total: 100 });
  plain({ ...base, phase: 'sync', done: 2, total: 100 });
  plain({ ...base, phase: 'done' });
  t.equal(lines.length, 2, 'one line per phase and 10% step when not a terminal');
  const steps: string[] = [];
  const pipe = progressPrinter({ write: (s: string) => steps.push(s) } as unknown as NodeJS.WritableStream);
  for (let done = 0; done <= 1000; done += 50) pipe({ ...base, phase: 'sync', done, total: 1000 });
  t.same(
    steps.map((l) => /(\d+)%/.exec(l)?.[1]),
    ['0', '10', '20', '30', '40', '50', '60', '70', '80', '90', '100'],
    'the percentages show without a terminal, once per 10%',
  );
  const tty: string[] = [];
  const live = progressPrinter({ isTTY: true, write: (s: string) => tty.push(s) } as unknown as NodeJS.WriteStream);
  live({ ...base, phase: 'sync', done: 1, total: 10 });
  live({ ...base, phase: 'done' });
  t.ok(tty[0]!.startsWith("\r\u001b[K[100k"), "rewritten in place");
  t.equal(tty[1], '\r\x1b[K');
});
