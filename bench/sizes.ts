const SUFFIX: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000 };

/** "2k" -> 2000, "1M" -> 1000000, "1.5k" -> 1500, "100000" -> 100000; NaN when not a size. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]) * (SUFFIX[(m[2] ?? '').toLowerCase()] ?? Number.NaN);
  return Number.isInteger(n) ? n : Number.NaN;
}

/** 2000 -> "2k", 1000000 -> "1M", 1500 -> "1.5k". */
export function formatSize(n: number): string {
  if (n >= 1_000_000 && n % 10_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1_000 && n % 10 === 0) return `${n / 1_000}k`;
  return String(n);
}
