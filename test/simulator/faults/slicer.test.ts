import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('slicer: every frame cut into writes of at most maxChunk bytes; the role decodes them all', async (t) => {
  const r = await rig(t);
  r.server.addFault({ slicer: { maxChunk: 3 }, seed: 2 });
  t.ok(await r.until(() => r.ready(), 30_000), 'ready');
  const chunks = r.chunks[0] ?? [];
  t.ok(chunks.length > 100, `the role read ${chunks.length} chunks`);
  t.ok(chunks.every((n) => n <= 3), 'none longer than 3 bytes');
  t.ok(r.converged(), 'SC equals the site');
  const occ = r.server.raiseAlarm('AC-1');
  await r.quiesce();
  t.equal(r.triggerings(occ), 1, 'a sliced live alarm is triggered once');
});

t.test('slicer with a delay between writes paces on the simulated clock', async (t) => {
  const r = await rig(t);
  r.server.addFault({ slicer: { maxChunk: 64, delayMs: 10 } });
  t.ok(await r.until(() => r.ready(), 120_000), 'ready');
  const writes = (r.chunks[0] ?? []).length;
  t.ok(r.clock.now() >= (writes - 1) * 10, `${writes} writes took ${r.clock.now()}ms (>= 10ms apart)`);
  t.ok(r.converged());
});

t.test('slicer over loopback TCP', async (t) => {
  const r = await rig(t, { tcp: true });
  r.server.addFault({ slicer: { maxChunk: 16, delayMs: 1 } });
  t.ok(await r.until(() => r.ready(), 60_000), 'ready over TCP');
  t.ok(r.converged());
});
