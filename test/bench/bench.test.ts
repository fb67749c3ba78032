import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { asciiChart, svgChart } from '../../bench/charts.js';
import { jsonReport, markdownReport, terminalReport } from '../../bench/report.js';
import { runBench, type BenchProgress } from '../../bench/runBench.js';
import { benchCommand } from '../../cli/commands/bench.js';

// The smoke test: the smallest size through the real processes, checking the
// figures are right (never how fast they are). Needs `npm run build` (dist/bench).

t.test('bench at 2k: every figure measured and consistent', async (t) => {
  const seen: BenchProgress[] = [];
  const r = await runBench({ sizes: [2000], reps: 1, live: 5000, onProgress: (p) => seen.push(p) });
  const s = r.sizes[0]!;
  t.equal(r.sizes.length, 1);
  t.equal(s.size, 2000);
  t.equal(Object.values(s.mix).reduce((a, b) => a + b, 0), 2000, 'the mix adds up to the size');
  t.equal(s.reps.length, 1);
  t.equal(s.reps[0]!.entities, 2000, 'the role synced every entity');
  t.equal(s.reps[0]!.limitEntities, 2000, 'the limit decoded every entity');
  t.ok(s.reps[0]!.digestOk, 'role digest = server digest');
  t.same(s.reps[0]!.errors, []);
  t.ok(s.complete);
  t.ok(Number.isFinite(s.ratio) && s.ratio > 0, `ratio ${s.ratio}`);
  t.ok(s.syncMs > 0 && s.limitMs > 0);
  t.ok(s.entitiesPerSec > 0);
  t.ok(s.bytes > 0, 'bytes on the wire');
  t.ok(Math.abs(s.bytes - s.reps[0]!.limitBytes) / s.bytes < 0.05, 'the limit moved the same bytes as the sync');
  t.ok(s.rolePeakRss > 0 && s.rolePeakHeap > 0 && s.serverPeakRss > 0, 'peak memory of both processes');
  t.equal(r.scaling, null, 'one size: no scaling exponent');

  // The breakdown (issue 14): generation with no socket, the recorded bytes replayed to the decoder, in the same run.
  const b = s.breakdown;
  t.equal(s.reps[0]!.floorEntities, 2000, 'the floor decoded every entity of the recording');
  for (const k of ['generateMs', 'generatePerSec', 'floorMs', 'floorPerSec', 'generateShare', 'floorShare', 'roleVsFloor'] as const) t.ok(Number.isFinite(b[k]) && b[k] > 0, `${k} ${b[k]}`);
  t.equal(b.limitMs, s.limitMs);
  t.equal(b.roleMs, s.syncMs);
  t.equal(b.bound, b.generateMs >= b.floorMs ? 'server generation' : 'wire + decode', 'the slower half bounds the limit');
  t.match(terminalReport(r), /breakdown:\n\s*size\s+generate\s+generate\/s\s+floor/);
  // CPU of each process over the same intervals: every figure measured, and the role's busy share a real share.
  for (const k of ['generateCpuMs', 'floorCpuMs', 'limitCpuMs', 'roleCpuMs', 'roleBusy', 'roleCpuVsLimit'] as const) t.ok(Number.isFinite(b[k]) && b[k] > 0, `${k} ${b[k]}`);
  t.equal(b.roleBusy, b.roleCpuMs / b.roleMs);
  t.equal(b.roleCpuVsLimit, b.roleCpuMs / b.limitMs);
  t.equal(s.reps[0]!.roleCpuMs, b.roleCpuMs, 'one rep: its CPU is the median');
  t.match(terminalReport(r), /cpu:\n\s*size\s+generate CPU\s+floor client CPU\s+limit client CPU\s+role CPU/);

  const l = r.live!;
  t.equal(l.sent, 5000);
  t.equal(l.received, 5000);
  t.equal(l.alarms + l.events, 5000);
  t.equal(l.lost, 0, 'none lost');
  t.equal(l.doubled, 0, 'none doubled');
  t.ok(l.lastSeqMatch, 'role lastSeq = server seq');
  t.ok(l.ok);
  t.ok(Number.isFinite(l.perSec) && l.perSec > 0);

  t.same(
    r.goals.map((g) => g.id),
    ['ratio', 'roleRss', 'serverRss', 'roleRss', 'serverRss', 'scaling', 'scaling', 'live'],
  );
  t.ok(r.goals.every((g) => g.met === null), 'no goal is judged at 2k (they are defined at 1M and 10M)');
  for (const g of r.goals) t.equal(g.met === false, g.miss !== null, `${g.id}: a miss says by how much`);
  t.ok(['generate', 'floor', 'limit', 'sync', 'live'].every((phase) => seen.some((p) => p.phase === phase)) && seen.at(-1)!.phase === 'done', 'progress reported');

  const json = JSON.parse(jsonReport(r));
  t.equal(json.sizes[0].size, 2000);
  t.equal(json.live.lost, 0);
  const md = markdownReport(r, 'bench.svg');
  t.match(md, /\| size \| synced \|/);
  t.match(md, /\| ---: \|/);
  t.match(md, /!\[sync time vs size\]\(bench\.svg\)/);
  t.match(terminalReport(r), /2k\s+2,000/);
  t.match(asciiChart(r), /S/);
  t.match(svgChart(r), /^<svg [^]*<\/svg>\n$/);
});

t.test('the bench command writes JSON, Markdown and SVG', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const logs = t.capture(console, 'log');
  const code = await benchCommand.run([
    // No live stream: the first test checks it; this one checks the command's options and files.
    '--sizes', '1k,2k', '--reps', '1', '--live', '0', '--quiet',
    '--json', path.join(dir, 'b.json'), '--markdown', path.join(dir, 'b.md'), '--svg', path.join(dir, 'b.svg'),
  ]);
  t.equal(code, 0);
  const printed = logs().map((c) => c.args.join(' ')).join('\n');
  t.match(printed, /scaling exponent 1k -> 2k/);
  t.match(printed, /time vs entities/);
  const json = JSON.parse(await readFile(path.join(dir, 'b.json'), 'utf8'));
  t.same(json.options.sizes, [1000, 2000]);
  t.ok(Number.isFinite(json.scaling.exponent));
  t.match(await readFile(path.join(dir, 'b.md'), 'utf8'), /\| 2k \| 2,000 \|/);
  t.match(await readFile(path.join(dir, 'b.svg'), 'utf8'), /<polyline/);
});

t.test('the bench command rejects bad options', async (t) => {
  await t.rejects(benchCommand.run(['--sizes', '10x']), { name: 'UsageError' });
  await t.rejects(benchCommand.run(['--sizes', '50']), { name: 'UsageError' });
  await t.rejects(benchCommand.run(['--reps', '0']), { name: 'UsageError' });
  await t.rejects(benchCommand.run(['--sizes', ',']), { name: 'UsageError' });
});
