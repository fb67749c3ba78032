/**
 * `npm test` runs the test files in five tap processes, not one each (issue 14 item 7,
 * docs/testing.md "How `npm test` stays cheap"): a tap test process costs ~1.3 CPU-s before
 * it asserts anything (tap, its process tracking, the TypeScript hooks, coverage), and the
 * project's modules are loaded once per process instead of once per file. 63 processes cost
 * more than most of the tests they ran.
 *
 * How: tap runs only `test/*.test.ts` (package.json `tap.include`); each
 * `test/<name>.group.test.ts` calls `runGroup('<name>')`, which imports every `*.test.ts` under
 * the folders GROUPS gives it, in path order, before any of their tests starts; their `t.test`s
 * land on the one root test. `rest` takes every folder no other group names, so a new test file
 * (or folder) runs with nothing to edit, and a file runs in exactly one group.
 * `npx tap test/cli/cli.test.ts` still runs one file alone.
 *
 * What a grouped file must not do (it shares the process with the others): leave the working
 * directory, the environment, signal handlers or global hooks changed after its tests (restore
 * them in the test, or in `t.teardown`), or depend on being the first to load a module.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const TEST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Folders of test/ per group; `rest` is every other folder. Balanced for `tap.jobs: 2`. */
export const GROUPS = {
  cli: ['cli'],
  harness: ['harness', 'package'],
  e2e: ['e2e', 'tui'],
  property: ['property', 'fuzz'],
  rest: [],
} as const satisfies Record<string, readonly string[]>;

export type GroupName = keyof typeof GROUPS;

/** Every `*.test.ts` below `dir` (relative to test/), group files left out, in path order. */
function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(TEST_DIR, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(rel));
    else if (e.name.endsWith('.test.ts') && !e.name.endsWith('.group.test.ts')) out.push(rel);
  }
  return out;
}

/** The test files (relative to test/) that group `name` runs. */
export function groupFiles(name: GroupName): string[] {
  const named = new Set<string>(Object.values(GROUPS).flat());
  const dirs: readonly string[] =
    name === 'rest'
      ? readdirSync(TEST_DIR, { withFileTypes: true })
          .filter((e) => e.isDirectory() && !named.has(e.name))
          .map((e) => e.name)
      : GROUPS[name];
  return dirs.flatMap(testFiles).sort();
}

/**
 * Imports every test file of group `name` into this process (see above). No test starts
 * before every file is imported: a file's top-level code (a `path.resolve` against the working
 * directory, a browser launch) never runs while another file's test has changed the process.
 */
export async function runGroup(name: GroupName): Promise<void> {
  let imported = (): void => undefined;
  t.before(() => new Promise<void>((resolve) => (imported = resolve)));
  try {
    for (const rel of groupFiles(name)) await import(pathToFileURL(path.join(TEST_DIR, rel)).href);
  } finally {
    imported();
  }
}
