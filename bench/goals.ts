import type { BenchReport } from './runBench.js';
import { formatSize } from './sizes.js';
import { formatBytes } from './units.js';

export interface GoalResult {
  id: 'ratio' | 'scaling' | 'roleRss' | 'serverRss' | 'live';
  label: string;
  target: string;
  actual: string;
  /** null: not measured in this run (e.g. one size only, or --live 0). */
  met: boolean | null;
  /** Where missed: by how much. */
  miss: string | null;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function atMost(actual: number, target: number, fmt: (n: number) => string): { met: boolean; miss: string | null } {
  if (actual <= target) return { met: true, miss: null };
  return { met: false, miss: `missed by ${fmt(actual - target)} (${(((actual - target) / target) * 100).toFixed(0)}% over)` };
}

/** The goals, judged on this run's figures; reported, never a test failure. */
export function evaluateGoals(r: Omit<BenchReport, 'goals'>): GoalResult[] {
  const largest = r.sizes[r.sizes.length - 1];
  const at = largest ? formatSize(largest.size) : '-';
  const goals: GoalResult[] = [];
  if (largest) {
    goals.push({
      id: 'ratio',
      label: `${at} sync time vs the limit`,
      target: '<= 2.00x',
      actual: `${largest.ratio.toFixed(2)}x`,
      ...atMost(largest.ratio, 2, (n) => `${n.toFixed(2)}x`),
    });
  }
  const s = r.scaling;
  goals.push(
    s
      ? { id: 'scaling', label: `scaling exponent ${formatSize(s.from)} -> ${formatSize(s.to)}`, target: '<= 1.10', actual: s.exponent.toFixed(2), ...atMost(s.exponent, 1.1, (n) => n.toFixed(2)) }
      : { id: 'scaling', label: 'scaling exponent', target: '<= 1.10', actual: 'n/a (needs two sizes)', met: null, miss: null },
  );
  if (largest) {
    goals.push({ id: 'roleRss', label: `role peak RSS at ${at}`, target: '<= 1.5 GiB', actual: formatBytes(largest.rolePeakRss), ...atMost(largest.rolePeakRss, 1.5 * GiB, formatBytes) });
    goals.push({ id: 'serverRss', label: `server peak RSS at ${at}`, target: '<= 256 MiB', actual: formatBytes(largest.serverPeakRss), ...atMost(largest.serverPeakRss, 256 * MiB, formatBytes) });
  }
  const l = r.live;
  if (!l) {
    goals.push({ id: 'live', label: 'live stream', target: '>= 50,000 msg/s, none lost', actual: 'n/a (not run)', met: null, miss: null });
  } else {
    const misses: string[] = [];
    if (!(l.perSec >= 50_000)) misses.push(Number.isFinite(l.perSec) ? `short by ${Math.round(50_000 - l.perSec).toLocaleString('en-US')} msg/s (${(((50_000 - l.perSec) / 50_000) * 100).toFixed(0)}% under)` : 'no throughput measured');
    if (l.lost > 0) misses.push(`${l.lost.toLocaleString('en-US')} lost`);
    if (l.doubled > 0) misses.push(`${l.doubled.toLocaleString('en-US')} doubled`);
    if (!l.lastSeqMatch) misses.push('role lastSeq differs from the server seq');
    goals.push({
      id: 'live',
      label: `live stream (${l.sent.toLocaleString('en-US')} msgs)`,
      target: '>= 50,000 msg/s, none lost',
      actual: `${Math.round(l.perSec).toLocaleString('en-US')} msg/s, ${l.lost} lost, ${l.doubled} doubled`,
      met: misses.length === 0,
      miss: misses.length ? misses.join('; ') : null,
    });
  }
  return goals;
}
