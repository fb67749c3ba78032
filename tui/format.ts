/** Small text formatters shared by the view-model and the plain log (no blessed). */

/** 12:34:56.789 in local time. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** 1234567 -> "1,234,567". */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** 850 -> "850ms", 12_300 -> "12.3s", 125_000 -> "2m05s". */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${m}m${String(s).padStart(2, '0')}s`;
}

/** Cuts `s` to `width` characters, marking the cut with "…". */
export function clip(s: string, width: number): string {
  if (width <= 0) return '';
  return s.length <= width ? s : `${s.slice(0, Math.max(0, width - 1))}…`;
}

/** A list of names for a cell: "-" when empty. */
export function names(list: readonly string[]): string {
  return list.length === 0 ? '-' : list.join(', ');
}

/** A text progress bar: "#####-----". */
export function bar(done: number, total: number, width: number): string {
  if (width <= 0) return '';
  const f = total <= 0 ? (done > 0 ? 1 : 0) : Math.min(1, done / total);
  const n = Math.round(f * width);
  return '#'.repeat(n) + '-'.repeat(width - n);
}

/**
 * Fixed-width table text: each column as wide as its widest cell, the last
 * column taking what is left of `width`; every line clipped to `width`.
 */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, width: number, minWidths: readonly number[] = []): string[] {
  const cols = header.length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Too wide: narrow the widest of the other columns (cells clipped with "…") until the last one shows.
  const lastMin = Math.min(widths[cols - 1] ?? 0, 12);
  const total = (): number => widths.slice(0, cols - 1).reduce((a, b) => a + b + 2, 0) + lastMin;
  while (total() > width) {
    let wi = -1;
    for (let i = 0; i < cols - 1; i++) if ((widths[i] ?? 0) > Math.max(minWidths[i] ?? 6, (header[i] ?? '').length) && (wi < 0 || (widths[i] ?? 0) > (widths[wi] ?? 0))) wi = i;
    if (wi < 0) break;
    widths[wi] = (widths[wi] ?? 0) - 1;
  }
  const line = (cells: readonly string[]): string =>
    clip(
      cells
        .slice(0, cols)
        .map((c, i) => (i === cols - 1 ? c : clip(c, widths[i] ?? 0).padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
      width,
    );
  return [line(header), ...rows.map(line)];
}

/** Packs items into lines of at most `width` characters (never splitting one item). */
export function pack<T>(items: readonly T[], len: (t: T) => number, sep: number, width: number): T[][] {
  const lines: T[][] = [];
  let cur: T[] = [];
  let used = 0;
  for (const it of items) {
    const l = len(it);
    if (cur.length > 0 && used + sep + l > width) {
      lines.push(cur);
      cur = [];
      used = 0;
    }
    used += (cur.length > 0 ? sep : 0) + l;
    cur.push(it);
  }
  if (cur.length > 0) lines.push(cur);
  return lines;
}

/**
 * Word-wraps `s` to lines of at most `width` characters; continuation lines
 * start with `indent`. A word longer than a line is split. Nothing is lost:
 * the dashboard wraps what a user needs to read instead of clipping it.
 */
export function wrap(s: string, width: number, indent = '  '): string[] {
  if (width <= 0) return [s];
  if (s.length <= width) return [s];
  const pad = indent.length < width ? indent : '';
  const out: string[] = [];
  let line = '';
  const push = (): void => {
    out.push(line.trimEnd());
    line = pad;
  };
  for (const word of s.split(/(?<= )/)) {
    let w = word;
    if (line.trim().length > 0 && line.length + w.trimEnd().length > width) push();
    while (line.length + w.trimEnd().length > width) {
      const room = width - line.length;
      line += w.slice(0, room);
      w = w.slice(room);
      push();
    }
    line += w;
  }
  if (line.trim().length > 0) out.push(line.trimEnd());
  return out;
}

/** wrap() over several lines. */
export function wrapLines(lines: readonly string[], width: number, indent = '  '): string[] {
  return lines.flatMap((l) => wrap(l, width, indent));
}
