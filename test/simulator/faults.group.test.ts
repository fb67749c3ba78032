/**
 * Every test/simulator/faults/*.test.ts, in this one process. Each of those
 * files asserts a few things on a small rig; a tap process costs ~1.5 CPU-s
 * before it asserts anything (tap itself, coverage tracking), so thirteen
 * processes cost more than their tests (docs/testing.md). package.json's
 * tap.exclude keeps tap from running them one by one as well;
 * `npx tap test/simulator/faults/silence.test.ts` still runs one alone.
 * A new file there is picked up here, with no list to keep.
 */
import { readdirSync } from 'node:fs';

const dir = new URL('./faults/', import.meta.url);
for (const name of readdirSync(dir).filter((n) => n.endsWith('.test.ts')).sort()) {
  await import(new URL(name, dir).href);
}
