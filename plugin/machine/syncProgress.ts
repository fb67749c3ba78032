import type { SiPassType } from '../../protocol/sipassTypes.js';

/** R9: what the Synchronization tab shows while a full sync runs. */
export interface SyncProgress {
  mode: 'full' | 'manual';
  startedAt: number;
  perType: Partial<Record<SiPassType, { done: number; total: number }>>;
  done: number;
  total: number;
  /** Entities per second since the start. */
  rate: number;
  /** Estimated ms to the end, once some work is done. */
  etaMs: number | null;
}

export function beginProgress(mode: 'full' | 'manual', at: number, totals: Partial<Record<SiPassType, number>>): SyncProgress {
  const perType: SyncProgress['perType'] = {};
  let total = 0;
  for (const [t, n] of Object.entries(totals) as Array<[SiPassType, number]>) {
    perType[t] = { done: 0, total: n };
    total += n;
  }
  return { mode, startedAt: at, perType, done: 0, total, rate: 0, etaMs: null };
}

export function advanceProgress(p: SyncProgress, type: SiPassType, n: number, at: number): SyncProgress {
  const cur = p.perType[type] ?? { done: 0, total: 0 };
  const done = p.done + n;
  const elapsed = Math.max(1, at - p.startedAt);
  const rate = (done / elapsed) * 1000;
  return {
    ...p,
    perType: { ...p.perType, [type]: { done: cur.done + n, total: cur.total } },
    done,
    rate,
    etaMs: done > 0 ? Math.max(0, ((p.total - done) / done) * elapsed) : null,
  };
}
