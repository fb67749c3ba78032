import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { TestbenchError } from '../../core/testbenchError.js';

/**
 * Scenario files under the given paths: *.yaml / *.yml, recursively, sorted;
 * folders named `fragments` hold included pieces, not scenarios.
 */
export async function discoverScenarios(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p).catch(() => null);
    if (!st) throw new TestbenchError('SCENARIO_NOT_FOUND', `no such file or folder: ${p}`);
    if (st.isFile()) {
      out.push(p);
      return;
    }
    const entries = await readdir(p, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(p, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fragments' && !e.name.startsWith('.')) await walk(child);
      } else if (/\.ya?ml$/.test(e.name)) {
        out.push(child);
      }
    }
  };
  for (const p of paths) await walk(p);
  return [...new Set(out)];
}

/** --shard I/N: the I-th of N near-equal slices (1-based), stable across machines. */
export function shard<T>(items: T[], spec: string | undefined): T[] {
  if (spec === undefined) return items;
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i < 1 || i > n) throw new TestbenchError('SHARD_INVALID', `--shard ${spec}: use I/N with 1 <= I <= N (e.g. 2/4)`);
  return items.filter((_, k) => k % n === i - 1);
}
