import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { TestbenchError } from '../../core/testbenchError.js';

/** Folders that hold included pieces (`fragments`) or tooling (dot folders), never scenarios. */
const skippedFolder = (name: string): boolean => name === 'fragments' || name.startsWith('.');

/**
 * A path argument that is a glob (`scenarios/r0*` or `"**\/*.yaml"`, quoted or
 * not: Windows shells never expand them) becomes the files and folders it
 * matches, sorted; it follows the folder rules (no fragments/, no dot folders).
 * A glob matching nothing selects nothing: the caller decides (run: exit 1).
 */
async function expandGlob(pattern: string): Promise<string[]> {
  const p = path.sep === '\\' ? pattern.replace(/\\/g, '/') : pattern;
  // An absolute pattern gives absolute paths, a relative one paths relative to the working folder, as a shell would.
  const found = await glob(p, { onlyFiles: false, expandDirectories: false, dot: false, absolute: path.isAbsolute(pattern), ignore: ['**/fragments/**'] });
  const skipped = (f: string): boolean => f.split('/').some((part) => part !== '.' && part !== '..' && skippedFolder(part));
  return found.map((f) => f.replace(/\/$/, '')).filter((f) => !skipped(f)).sort();
}

/**
 * Scenario files under the given paths (files, folders or globs): *.yaml /
 * *.yml, recursively, sorted; folders named `fragments` hold included
 * pieces, not scenarios. A plain path that does not exist is SCENARIO_NOT_FOUND.
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
        if (!skippedFolder(e.name)) await walk(child);
      } else if (/\.ya?ml$/.test(e.name)) {
        out.push(child);
      }
    }
  };
  for (const p of paths) {
    // A path that exists is taken as written, even with glob characters in its name.
    const literal = await stat(p).then(() => true, () => false);
    if (!literal && isDynamicPattern(p)) for (const m of await expandGlob(p)) await walk(path.normalize(m));
    else await walk(p);
  }
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
