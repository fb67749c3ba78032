import type { GoalResult } from './goals.js';
import type { BenchReport } from './runBench.js';
import { formatSize } from './sizes.js';
import { formatBytes, formatInt, formatMs } from './units.js';

const HEAD = ['size', 'synced', 'sync', 'limit', 'ratio', 'entities/s', 'wire', 'role RSS', 'role heap', 'heap/entity', 'server RSS'];
const BREAKDOWN_HEAD = ['size', 'generate', 'generate/s', 'floor', 'floor/s', 'limit', 'role', 'generate/limit', 'floor/limit', 'role/limit', 'role/floor', 'bounds the limit'];
const CPU_HEAD = ['size', 'generate CPU', 'floor client CPU', 'limit client CPU', 'role CPU', 'role CPU/role', 'role CPU/limit'];
const x = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-');

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
    `${formatInt(s.rolePeakHeap / s.size)} B`,
    formatBytes(s.serverPeakRss),
  ]);
}

function breakdownRows(r: BenchReport): string[][] {
  return r.sizes.map((s) => {
    const b = s.breakdown;
    return [formatSize(s.size), formatMs(b.generateMs), formatInt(b.generatePerSec), formatMs(b.floorMs), formatInt(b.floorPerSec), formatMs(b.limitMs), formatMs(b.roleMs), x(b.generateShare), x(b.floorShare), x(s.ratio), x(b.roleVsFloor), b.bound];
  });
}

function cpuRows(r: BenchReport): string[][] {
  return r.sizes.map((s) => {
    const b = s.breakdown;
    return [formatSize(s.size), formatMs(b.generateCpuMs), formatMs(b.floorCpuMs), formatMs(b.limitCpuMs), formatMs(b.roleCpuMs), x(b.roleBusy), x(b.roleCpuVsLimit)];
  });
}

const CPU_NOTE =
  'CPU = user + system of that process over the same interval (all its threads: GC helpers included). The role decodes and stores on one thread: ' +
  'with role CPU/role near 1 it is CPU-bound, and role CPU/limit is about the lowest sync / limit ratio it can reach without doing less work.';

const BREAKDOWN_NOTE =
  'generate = the server alone, no socket (request -> syncEnd in memory); floor = those bytes replayed from memory to the decode-only client (wire + decode); ' +
  'limit = live server -> decode-only client; role = live server -> role. Server and client are separate processes, so the limit is about the slower of generate and floor: that one bounds it.';

function aligned(head: string[], body: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
}

function markdownTable(head: string[], body: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`)];
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
  return `live stream: ${formatInt(l.sent)} msgs (${formatInt(l.alarms)} alarms + ${formatInt(l.events)} events) in ${formatMs(l.ms)} = ${formatInt(l.perSec)} msg/s; decode-only client ${formatInt(l.limitPerSec)} msg/s (ratio ${Number.isFinite(l.ratio) ? l.ratio.toFixed(2) : '-'}x); ${formatInt(l.lost)} lost, ${formatInt(l.doubled)} doubled, lastSeq ${l.lastSeqMatch ? 'matches' : 'DIFFERS'}`;
}

/** The terminal table: aligned columns, then scaling, live stream and goals. */
export function terminalReport(r: BenchReport): string {
  const out = aligned(HEAD, rows(r));
  out.push('', `median of ${r.options.reps} rep(s); sync = role process apply -> ready; limit = raw socket + FrameDecoder, no SC model; ratio = sync / limit`);
  if (r.sizes.some((s) => !s.complete)) out.push('! = a repetition did not sync every entity with matching digests (see the JSON)');
  out.push('', 'breakdown:', ...aligned(BREAKDOWN_HEAD, breakdownRows(r)), BREAKDOWN_NOTE);
  out.push('', 'cpu:', ...aligned(CPU_HEAD, cpuRows(r)), CPU_NOTE);
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
    ...markdownTable(HEAD, rows(r)),
    '',
    'Where the limit goes (same run):',
    '',
    ...markdownTable(BREAKDOWN_HEAD, breakdownRows(r)),
    '',
    BREAKDOWN_NOTE,
    '',
    'CPU of each process over the same intervals:',
    '',
    ...markdownTable(CPU_HEAD, cpuRows(r)),
    '',
    CPU_NOTE,
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
