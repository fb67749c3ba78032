import type { GoalResult } from './goals.js';
import type { BenchReport } from './runBench.js';
import { formatSize } from './sizes.js';
import { formatBytes, formatInt, formatMs } from './units.js';

const HEAD = ['size', 'synced', 'sync', 'limit', 'ratio', 'entities/s', 'wire', 'role RSS', 'role heap', 'server RSS'];

function rows(r: BenchReport): string[][] {
  return r.sizes.map((s) => [
    formatSize(s.size),
    `${formatInt(median1(s.reps.map((x) => x.entities)))}${s.complete ? '' : ' !'}`,
    formatMs(s.syncMs),
    formatMs(s.limitMs),
    `${s.ratio.toFixed(2)}x`,
    formatInt(s.entitiesPerSec),
    formatBytes(s.bytes),
    formatBytes(s.rolePeakRss),
    formatBytes(s.rolePeakHeap),
    formatBytes(s.serverPeakRss),
  ]);
}

const median1 = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

function goalMark(g: GoalResult): string {
  return g.met === null ? 'n/a' : g.met ? 'met' : 'MISSED';
}

function scalingLine(r: BenchReport): string {
  return r.scaling ? `scaling exponent ${formatSize(r.scaling.from)} -> ${formatSize(r.scaling.to)}: ${r.scaling.exponent.toFixed(2)}` : 'scaling exponent: n/a (one size)';
}

function liveLine(r: BenchReport): string {
  const l = r.live;
  if (!l) return 'live stream: not run';
  return `live stream: ${formatInt(l.sent)} msgs (${formatInt(l.alarms)} alarms + ${formatInt(l.events)} events) in ${formatMs(l.ms)} = ${formatInt(l.perSec)} msg/s; ${formatInt(l.lost)} lost, ${formatInt(l.doubled)} doubled, lastSeq ${l.lastSeqMatch ? 'matches' : 'DIFFERS'}`;
}

/** The terminal table: aligned columns, then scaling, live stream and goals. */
export function terminalReport(r: BenchReport): string {
  const body = rows(r);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  out.push('', `median of ${r.options.reps} rep(s); sync = role process apply -> ready; limit = raw socket + FrameDecoder, no SC model; ratio = sync / limit`);
  if (r.sizes.some((s) => !s.complete)) out.push('! = a repetition did not sync every entity with matching digests (see the JSON)');
  out.push(scalingLine(r), liveLine(r), '', 'goals:');
  for (const g of r.goals) out.push(`  [${goalMark(g).padEnd(6)}] ${g.label}: ${g.actual} (goal ${g.target})${g.miss ? ` -- ${g.miss}` : ''}`);
  return out.join('\n');
}

/** The README section: the same figures as Markdown tables. */
export function markdownReport(r: BenchReport, svgPath?: string): string {
  const m = r.machine;
  const out = [
    '## Benchmark',
    '',
    `\`sipass-testbench bench --sizes ${r.options.sizes.map(formatSize).join(',')} --reps ${r.options.reps} --live ${r.options.live}\` on ${m.cpus} x ${m.cpuModel}, ${formatBytes(m.memory)} RAM, Node ${m.node}, ${r.date.slice(0, 10)}. ` +
      'Server and role run in separate processes over loopback TCP; figures are medians. The limit is the same frames between the same kinds of process, decoded without the Security Center model.',
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows(r).map((row) => `| ${row.join(' | ')} |`),
    '',
    `- ${scalingLine(r)}`,
    `- ${liveLine(r)}`,
    '',
  ];
  if (svgPath) out.push(`![sync time vs size](${svgPath})`, '');
  out.push('| goal | target | actual | result |', '| --- | --- | --- | --- |');
  for (const g of r.goals) out.push(`| ${g.label} | ${g.target} | ${g.actual} | ${goalMark(g)}${g.miss ? `: ${g.miss}` : ''} |`);
  return `${out.join('\n')}\n`;
}

/** The machine-readable report. */
export function jsonReport(r: BenchReport): string {
  return `${JSON.stringify(r, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
