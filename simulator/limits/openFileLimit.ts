import { readFileSync } from 'node:fs';

/**
 * The process's soft limit on open files (Linux: /proc/self/limits), or undefined where it
 * cannot be read (other systems, unlimited). Node has no getrlimit.
 */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!m || m[1] === 'unlimited') return undefined;
  return Number(m[1]);
}
