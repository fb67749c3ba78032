import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('bandwidth cap: the sync takes bytes / rate of simulated time; the role converges', async (t) => {
  const r = await rig(t);
  r.server.addFault({ bandwidth: { bytesPerSecond: 2_000 } });
  t.ok(await r.until(() => r.ready(), 120_000), 'ready under the cap');
  const bytes = r.role.snapshot().totalBytesIn;
  const took = r.clock.now();
  t.ok(bytes > 2_000, `the sync is more than a second's worth (${bytes} bytes)`);
  t.ok(took >= ((bytes - 200) / 2_000) * 1000, `took ${took}ms of simulated time for ${bytes} bytes at 2000 B/s`);
  t.ok(r.converged(), 'SC equals the site');
  r.server.clearFaults();
  r.server.fireEvent('ET-1');
  await r.quiesce();
  t.equal(r.sc.events.list().filter((e) => e.kind === 'custom').length, 1, 'without the cap the live event arrives at once, once');
});
