import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('latency with jitter: frames arrive late, in order, seeded; the role still converges', async (t) => {
  const readyAt: number[] = [];
  for (const attempt of [1, 2]) {
    const r = await rig(t);
    r.server.addFault({ latency: { ms: 200, jitterMs: 50 }, seed: 7 });
    t.same(r.server.activeFaults(), ['latency 200ms ±50ms'], 'listed as an active fault');
    t.same(r.server.stats().faults, ['latency 200ms ±50ms'], 'and in the server stats');
    await r.quiesce();
    t.equal(r.role.snapshot().totalBytesIn, 0, 'no time passed: the welcome is still held');
    t.equal(r.role.state, 'connecting');
    t.ok(await r.until(() => r.ready(), 30_000), `ready (run ${attempt})`);
    readyAt.push(r.clock.now());
    t.ok(r.clock.now() >= 150, 'the handshake took at least ms - jitter of simulated time');
    t.ok(r.converged(), 'SC equals the site: nothing lost or reordered');

    const occ = r.server.raiseAlarm('AC-1', 'OCC-LAT');
    await r.quiesce();
    t.equal(r.triggerings(occ), 0, 'the live alarm is still on the wire');
    t.ok(await r.until(() => r.triggerings(occ) === 1, 1_000), 'it arrives within ms + jitter');

    t.equal(r.server.removeFault('latency'), 1, 'removed');
    t.same(r.server.activeFaults(), []);
    const occ2 = r.server.raiseAlarm('AC-2', 'OCC-NOW');
    await r.quiesce();
    t.equal(r.triggerings(occ2), 1, 'without the fault a live alarm arrives at once');
    t.equal(r.triggerings(occ), 1, 'each occurrence exactly once');
  }
  t.equal(readyAt[0], readyAt[1], 'same seed: the same jitter, the same timeline');
});
