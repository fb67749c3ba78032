/**
 * Every test/plugin/units/*.test.ts, in this one process (as test/simulator/faults.group.test.ts
 * does: a tap process costs ~1.5 CPU-s before it asserts anything, docs/testing.md). These are
 * the in-memory unit tests written from mutation-testing survivors (issue 13); package.json's
 * tap.exclude keeps tap from running them one by one as well, and Stryker runs them one by one
 * (stryker.config.mjs) so a mutant runs only the files that reach it.
 * `npx tap test/plugin/units/commandDesk.test.ts` still runs one alone.
 */
import { readdirSync } from 'node:fs';

const dir = new URL('./units/', import.meta.url);
for (const name of readdirSync(dir).filter((n) => n.endsWith('.test.ts')).sort()) {
  await import(new URL(name, dir).href);
}
