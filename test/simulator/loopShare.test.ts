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

/** Runs `each(iteration)` once per event-loop iteration (its check phase) until stopped. */
function everyIteration(each: (iteration: number) => void): { stop(): void; iteration(): number } {
  let n = 0;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    n++;
    each(n);
    setImmediate(tick);
  };
  setImmediate(tick);
  return { stop: () => void (stopped = true), iteration: () => n };
}

t.test(
  'while connections arrive the syncs hold back, and go on once an iteration passes without one ' +
    '(break: ignore arrivals in pace -> batches run between the accepts)',
  async (t) => {
    const clock = 0; // time stands still: the hold never reaches its bound here
    const share = new LoopShare(8, () => clock, 100);
    const arrivingUntil = 6;
    const loop = everyIteration((i) => {
      if (i <= arrivingUntil) share.arrival();
    });
    await nextIteration();
    await nextIteration();
    t.ok(share.arriving, 'connections are arriving');
    const batchesAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await share.pace();
      batchesAt.push(loop.iteration());
    }
    loop.stop();
    t.ok(batchesAt.every((i) => i > arrivingUntil), `no batch while connections arrived (batches in iterations ${batchesAt.join(' ')})`);
    t.ok(share.held > 0, 'batches were held back');
    t.equal(share.holdsExpired, 0, 'no hold reached its bound');
    t.notOk(share.arriving, 'nothing arrives any more');
  },
);

t.test(
  'under an endless stream of connections the syncs still get a slice every maxHoldMs ' +
    '(break: hold while connections arrive without a bound -> the sync never ends)',
  async (t) => {
    let clock = 0;
    const share = new LoopShare(8, () => clock, 100);
    // One connection per iteration, 10 ms of wall time each: a flood that never stops.
    const loop = everyIteration(() => {
      clock += 10;
      share.arrival();
    });
    await nextIteration();
    await nextIteration();
    const batchesAtMs: number[] = [];
    for (let i = 0; i < 9; i++) {
      await share.pace();
      batchesAtMs.push(clock);
      clock += 3; // a batch costs 3 ms
    }
    loop.stop();
    t.ok(share.arriving, 'connections still arriving when the sync ended');
    t.ok(share.holdsExpired >= 2, `slices granted as holds reached their bound (${share.holdsExpired})`);
    // Batches come in slices (3 ms apart within one), slices at least a hold apart.
    const gaps = batchesAtMs.slice(1).map((at, i) => at - (batchesAtMs[i] ?? 0)).filter((g) => g !== 3);
    t.ok(gaps.length >= 2 && gaps.every((g) => g >= 100), `each slice came after a hold of at least 100 ms (${batchesAtMs.join(' ')})`);
  },
);

t.test(
  'held syncs are parked, not woken every iteration, while connections arrive ' +
    '(break: wait for the next iteration when held -> every held sync asks again in each of the 50 iterations)',
  async (t) => {
    const share = new LoopShare(8, () => 0, 100);
    const arrivingUntil = 50;
    const loop = everyIteration((i) => {
      if (i <= arrivingUntil) share.arrival();
    });
    await nextIteration();
    await nextIteration();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 2; i++) await share.pace();
      }),
    );
    loop.stop();
    t.ok(loop.iteration() > arrivingUntil, 'the syncs went on once the arrivals were over');
    t.ok(share.held <= 20, `each sync was held back about once, not once per iteration (${share.held} times for 10 syncs over ${arrivingUntil} iterations)`);
  },
);

t.test(
  'syncs resumed after a hold still take a slice per iteration between them, not a batch each ' +
    '(break: resume every parked sync at once -> all 10 run a batch in the first iteration after the arrivals)',
  async (t) => {
    let clock = 0;
    const share = new LoopShare(8, () => clock, 100);
    const arrivingUntil = 5;
    const loop = everyIteration((i) => {
      if (i <= arrivingUntil) share.arrival();
    });
    await nextIteration();
    await nextIteration();
    const batchesAt: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let i = 0; i < 2; i++) {
          await share.pace();
          batchesAt.push(loop.iteration());
          clock += 3; // a batch costs 3 ms
        }
      }),
    );
    loop.stop();
    const perIteration = new Map<number, number>();
    for (const i of batchesAt) perIteration.set(i, (perIteration.get(i) ?? 0) + 1);
    t.ok(batchesAt.every((i) => i > arrivingUntil), 'nothing ran while connections arrived');
    t.ok(Math.max(...perIteration.values()) <= 3, `at most a slice (8 ms at 3 ms a batch) per iteration: ${[...perIteration.values()].join(' ')}`);
  },
);
