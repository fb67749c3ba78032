import type { BenchReport } from './runBench.js';
import { formatSize } from './sizes.js';
import { formatMs } from './units.js';

interface Series {
  name: string;
  mark: string;
  color: string;
  points: Array<{ x: number; y: number }>;
}

function series(r: BenchReport): Series[] {
  return [
    { name: 'sync (role)', mark: 'S', color: '#d9480f', points: r.sizes.map((s) => ({ x: s.size, y: s.syncMs })) },
    { name: 'limit (wire + decode)', mark: 'L', color: '#1c7ed6', points: r.sizes.map((s) => ({ x: s.size, y: s.limitMs })) },
  ];
}

/** log10 range of the values, widened when flat so a single point sits in the middle. */
function logRange(values: number[]): [number, number] {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
  if (logs.length === 0) return [0, 1];
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  return hi - lo < 1e-9 ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

const scale = (v: number, [lo, hi]: [number, number], size: number): number => ((Math.log10(v) - lo) / (hi - lo)) * size;

/** Time vs size on log-log axes, for the terminal: S = sync, L = limit, dots join the points. */
export function asciiChart(r: BenchReport, width = 56, height = 12): string {
  const all = series(r);
  const xr = logRange(r.sizes.map((s) => s.size));
  const yr = logRange(all.flatMap((s) => s.points.map((p) => p.y)));
  const grid: string[][] = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const put = (col: number, row: number, ch: string, over: boolean): void => {
    const line = grid[height - 1 - Math.max(0, Math.min(height - 1, Math.round(row)))];
    const c = Math.max(0, Math.min(width - 1, Math.round(col)));
    if (line && (over || line[c] === ' ')) line[c] = ch;
  };
  for (const s of all) {
    const pts = s.points.filter((p) => p.y > 0 && Number.isFinite(p.y)).map((p) => ({ c: scale(p.x, xr, width - 1), r: scale(p.y, yr, height - 1) }));
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      if (!a || !b) continue;
      for (let c = Math.ceil(a.c); c <= b.c; c++) put(c, a.r + ((b.r - a.r) * (c - a.c)) / (b.c - a.c || 1), '.', false);
    }
    for (const p of pts) put(p.c, p.r, s.mark, true);
  }
  const top = formatMs(10 ** yr[1]);
  const bottom = formatMs(10 ** yr[0]);
  const pad = Math.max(top.length, bottom.length);
  const lines = grid.map((row, i) => `${(i === 0 ? top : i === height - 1 ? bottom : '').padStart(pad)} |${row.join('')}`);
  lines.push(`${' '.repeat(pad)} +${'-'.repeat(width)}`);
  const axis = Array.from({ length: width + 2 }, () => ' ');
  for (const s of r.sizes) {
    const label = formatSize(s.size);
    const c = Math.round(scale(s.size, xr, width - 1)) + 2 - Math.floor(label.length / 2);
    const start = Math.max(0, Math.min(width + 2 - label.length, c));
    for (let i = 0; i < label.length; i++) axis[start + i] = label[i] ?? ' ';
  }
  lines.push(`${' '.repeat(pad)}${axis.join('')}`);
  lines.push(`${' '.repeat(pad)}  time vs entities (log-log)   S = ${all[0]?.name}   L = ${all[1]?.name}`);
  return lines.join('\n');
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The same chart as an SVG document. */
export function svgChart(r: BenchReport, width = 640, height = 400): string {
  const m = { left: 70, right: 20, top: 40, bottom: 50 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const all = series(r);
  const xr = logRange(r.sizes.map((s) => s.size));
  const yr = logRange(all.flatMap((s) => s.points.map((p) => p.y)));
  const X = (v: number): number => m.left + scale(v, xr, w);
  const Y = (v: number): number => m.top + h - scale(v, yr, h);
  const f = (n: number): string => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14">${esc('Full sync time vs site size (log-log)')}</text>`,
  ];
  // Decades and the half-decade marks (x3) inside the plotted range.
  const ticks: number[] = [];
  for (let e = Math.floor(yr[0]); e <= Math.ceil(yr[1]); e++) for (const k of [1, 3]) ticks.push(k * 10 ** e);
  for (const v of ticks.filter((t) => Math.log10(t) >= yr[0] - 1e-9 && Math.log10(t) <= yr[1] + 1e-9)) {
    const y = Y(v);
    out.push(`<line x1="${m.left}" y1="${f(y)}" x2="${m.left + w}" y2="${f(y)}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 6}" y="${f(y + 4)}" text-anchor="end">${esc(formatMs(v))}</text>`);
  }
  for (const s of r.sizes) {
    const x = X(s.size);
    out.push(`<line x1="${f(x)}" y1="${m.top}" x2="${f(x)}" y2="${m.top + h}" stroke="#eee"/>`);
    out.push(`<text x="${f(x)}" y="${m.top + h + 18}" text-anchor="middle">${esc(formatSize(s.size))}</text>`);
  }
  out.push(`<line x1="${m.left}" y1="${m.top + h}" x2="${m.left + w}" y2="${m.top + h}" stroke="#333"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + h}" stroke="#333"/>`);
  out.push(`<text x="${m.left + w / 2}" y="${height - 12}" text-anchor="middle">entities</text>`);
  all.forEach((s, i) => {
    const pts = s.points.filter((p) => p.y > 0 && Number.isFinite(p.y));
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${f(X(p.x))},${f(Y(p.y))}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${f(X(p.x))}" cy="${f(Y(p.y))}" r="4" fill="${s.color}"><title>${esc(`${s.name}: ${formatSize(p.x)} in ${formatMs(p.y)}`)}</title></circle>`);
    const ly = m.top + 10 + i * 16;
    out.push(`<rect x="${m.left + 10}" y="${ly - 9}" width="12" height="3" fill="${s.color}"/>`);
    out.push(`<text x="${m.left + 28}" y="${ly - 3}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
