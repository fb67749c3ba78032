import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('reset at once (frames: 0) on a ready connection: the role reconnects and converges', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ resetAfter: { frames: 0 }, times: 1 });
  t.ok(await r.until(() => r.role.state === 'connecting', 1_000), 'dropped at once');
  t.equal(r.errorCode(), 'ROLE_CONNECTION_CLOSED');
  t.ok(await r.until(() => r.ready(), 30_000), 'ready again');
  t.equal(r.dials, 2);
  t.ok(r.converged());
});

t.test('reset after batch 3 of cardholders: sync abandoned, never ready with a partial site, converges', async (t) => {
  const r = await rig(t, { batchSize: 5 });
  r.server.addFault({ resetAfter: { point: { afterBatch: 3, type: 'cardholders' } }, times: 1 });
  t.same(r.server.activeFaults(), ['reset after batch 3 of cardholders ×1']);
  let readyPartial = false;
  r.role.on('notice', (n: { kind: string; state?: string }) => {
    if (n.kind === 'state' && n.state === 'ready' && !r.converged()) readyPartial = true;
  });
  t.ok(await r.until(() => r.dials >= 2, 10_000), 'the first connection was reset during the sync');
  const first = r.framesSent(0);
  t.equal(first.filter((m) => m.t === 'batch' && m.type === 'cardholders').length, 3, 'exactly 3 cardholder batches went out');
  t.notOk(first.some((m) => m.t === 'syncEnd'), 'no syncEnd on the reset connection');
  t.ok(await r.until(() => r.ready(), 30_000), 'ready on the next connection');
  t.notOk(readyPartial, 'never ready with a partial site');
  t.ok(r.converged());
});

t.test('reset after N bytes cuts a frame: PROTO_TRUNCATED', async (t) => {
  const r = await rig(t);
  r.server.addFault({ resetAfter: { bytes: 150 }, times: 1 });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_TRUNCATED', 5_000), 'typed error');
  t.equal(Buffer.concat(r.serverEnds[0]?.written ?? []).length, 150, 'exactly 150 bytes written');
  t.ok(await r.until(() => r.ready(), 30_000), 'ready again');
  t.ok(r.converged());
});

t.test('reset during the live stream: the alarm is triggered once across the reconnect', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ resetAfter: { point: 'live' }, times: 1 });
  const occ = r.server.raiseAlarm('AC-1', 'OCC-LIVE');
  r.server.fireEvent('ET-1');
  t.ok(await r.until(() => r.role.state !== 'ready', 1_000), 'reset right after the first live message');
  t.ok(await r.until(() => r.ready(), 30_000), 'ready again');
  await r.quiesce();
  t.equal(r.triggerings(occ), 1, 'raised exactly once');
  t.equal(r.sc.events.list().filter((e) => e.kind === 'custom').length, 1, 'the event fired exactly once');
  t.ok(r.converged());
});

t.test('over TCP a reset is a RST: ROLE_CONNECTION_RESET', async (t) => {
  const r = await rig(t, { tcp: true });
  t.ok(await r.until(() => r.ready()), 'ready over loopback');
  r.server.addFault({ resetAfter: { frames: 0 }, times: 1 });
  t.ok(await r.until(() => r.role.state === 'connecting', 1_000), 'dropped');
  t.equal(r.errorCode(), 'ROLE_CONNECTION_RESET');
  t.ok(await r.until(() => r.ready(), 30_000), 'ready again');
  t.ok(r.converged());
});
