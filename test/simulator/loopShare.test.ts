/**
 * The syncs' share of the server's event loop (simulator/loopShare.ts): in one loop iteration
 * the syncs run at most their slice, then the loop runs its I/O (Node accepts one connection
 * per iteration) before any sync goes on. A counter stands in for the wall clock, so nothing
 * here depends on how fast the machine is.
 */
import t from 'tap';
import { LoopShare } from '../../simulator/loopShare.js';

const nextIteration = (): Promise<void> => new Promise((r) => setImmediate(r));

t.test('syncs run at most their slice per loop iteration, take turns, and let the loop run in between', async (t) => {
  let clock = 0;
  // Each pace() call reads the clock once: a batch "costs" 3 ms of it.
  const share = new LoopShare(8, () => (clock += 3));
  let iteration = 0;
  let stop = false;
  const tick = (): void => {
    iteration++;
    if (!stop) setImmediate(tick);
  };
  setImmediate(tick);
  const log: Array<{ sync: string; iteration: number }> = [];
  const sync = async (name: string, batches: number): Promise<void> => {
    for (let i = 0; i < batches; i++) {
      log.push({ sync: name, iteration });
      await share.pace();
    }
  };
  await Promise.all([sync('a', 6), sync('b', 6), sync('c', 6)]);
  stop = true;
  const perIteration = new Map<number, number>();
  for (const e of log) perIteration.set(e.iteration, (perIteration.get(e.iteration) ?? 0) + 1);
  t.equal(log.length, 18, 'every batch ran');
  // The first batch of each sync goes out when the sync starts (all three in the first iteration);
  // from then on each iteration holds at most a slice: 8 ms at 3 ms a batch.
  const counts = [...perIteration.values()];
  t.ok(Math.max(...counts.slice(1)) <= 3, `at most a slice of batches per iteration after the first: ${counts.join(' ')}`);
  t.ok(perIteration.size >= 5, `the batches spread over ${perIteration.size} iterations: the loop ran in between`);
  const firstOf = (name: string): number => log.find((e) => e.sync === name)?.iteration ?? -1;
  const lastOf = (name: string): number => log.filter((e) => e.sync === name).at(-1)?.iteration ?? -1;
  t.ok(firstOf('c') < lastOf('a') && firstOf('b') < lastOf('a'), 'no sync runs to its end before the others start: they take turns');
});

t.test('a sync alone goes on at once while its slice lasts', async (t) => {
  let clock = 0;
  const share = new LoopShare(100, () => clock++);
  let turns = 0;
  let stop = false;
  const tick = (): void => {
    turns++;
    if (!stop) setImmediate(tick);
  };
  setImmediate(tick);
  await nextIteration();
  const before = turns;
  for (let i = 0; i < 50; i++) await share.pace();
  stop = true;
  t.equal(turns, before, '50 batches within the slice: no event-loop turn spent waiting');
});
