import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('half-open silence: heartbeat timeout, no live message lost or doubled, ready once cleared', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ silence: {} });
  const occ = r.server.raiseAlarm('AC-1', 'OCC-SILENT');
  r.server.addEntity('cardholders', { id: 'CH-900', name: 'Vera Visitor' });
  await r.quiesce();
  t.equal(r.triggerings(occ), 0, 'nothing gets through');
  t.equal(r.server.stats().connections, 1, 'the socket stays open');
  t.ok(await r.until(() => r.errorCode() === 'ROLE_HEARTBEAT_TIMEOUT', 45_000), 'the heartbeat detects silence');
  t.ok(r.clock.now() >= 30_000, 'not before the 30s heartbeat timeout');
  await r.wait(20_000);
  t.equal(r.role.state, 'connecting', 'new connections are silent too');
  t.equal(r.errorCode(), 'ROLE_CONNECT_TIMEOUT', 'no welcome: handshake timeout');
  r.server.clearFaults();
  t.ok(await r.until(() => r.ready(), 60_000), 'ready once cleared');
  t.ok(r.converged(), 'converged (the entity added during the silence is there)');
  t.equal(r.triggerings(occ), 1, 'the alarm raised during the silence is triggered once');
});

t.test('a connection that lost a frame stays silent after the fault is removed; the heartbeat ends it, the replay heals it', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ silence: {} });
  const occ = r.server.raiseAlarm('AC-1', 'OCC-LOST');
  await r.quiesce();
  r.server.clearFaults();
  await r.wait(10_000);
  t.equal(r.triggerings(occ), 0, 'the dropped alarm frame does not come back on that connection');
  t.ok(await r.until(() => r.errorCode() === 'ROLE_HEARTBEAT_TIMEOUT', 40_000), 'the heartbeat ends it');
  t.ok(await r.until(() => r.ready(), 60_000), 'ready on a new connection');
  t.equal(r.triggerings(occ), 1, 'replayed, once');
});
