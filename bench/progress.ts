import type { BenchProgress } from './runBench.js';
import { formatSize } from './sizes.js';
import { formatInt } from './units.js';

/** One line for the terminal while the bench runs. */
export function progressText(p: BenchProgress): string {
  const where = `[${formatSize(p.size)}${p.reps > 1 && p.rep > 0 ? ` rep ${p.rep}/${p.reps}` : ''}]`;
  switch (p.phase) {
    case 'server':
      return `${where} starting the server process`;
    case 'generate':
      return `${where} server generation, no socket (recorded for the floor)`;
    case 'floor':
      return `${where} floor: recorded bytes replayed to the decoder`;
    case 'limit':
      return `${where} limit: raw socket + decoder`;
    case 'sync': {
      const pct = p.total ? ` ${Math.floor(((p.done ?? 0) / p.total) * 100)}%` : '';
      return `${where} full sync${pct} (${formatInt(p.done ?? 0)} / ${formatInt(p.total ?? p.size)})`;
    }
    case 'live':
      return `[live] ${p.done ? 'sent' : 'streaming'} ${formatInt(p.total ?? 0)} alarms + events after ready (site ${formatSize(p.size)})`;
    case 'done':
      return 'bench done';
  }
}

/** The 10% step a sync's progress is at (0..10), or -1 when it has no total. */
function step(p: BenchProgress): number {
  return p.phase === 'sync' && p.total ? Math.floor(((p.done ?? 0) / p.total) * 10) : -1;
}

/**
 * Progress on a stream: rewritten in place on a terminal; otherwise (a pipe,
 * a CI log) a line per phase and per 10% of a sync, so the percentages show
 * there too without a line per batch.
 */
export function progressPrinter(out: NodeJS.WriteStream | NodeJS.WritableStream & { isTTY?: boolean }): (p: BenchProgress) => void {
  let lastKey = '';
  return (p) => {
    const text = progressText(p);
    if ('isTTY' in out && out.isTTY) {
      out.write(`\r\x1b[K${p.phase === 'done' ? '' : text}`);
      return;
    }
    const key = `${p.phase}:${p.size}:${p.rep}:${step(p)}`;
    if (key !== lastKey || p.phase === 'done') out.write(`${text}\n`);
    lastKey = key;
  };
}
