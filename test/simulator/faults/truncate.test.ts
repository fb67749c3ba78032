import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('truncated frame then silence: only the heartbeat notices (ROLE_HEARTBEAT_TIMEOUT); the next connection works', async (t) => {
  const r = await rig(t);
  r.server.addFault({ truncate: { afterFrames: 1 }, times: 1 });
  t.ok(await r.until(() => r.role.state === 'syncing', 5_000), 'welcome arrived: syncing');
  await r.wait(20_000);
  t.equal(r.role.state, 'syncing', 'half a frame, then nothing: the role still waits');
  t.ok(await r.until(() => r.errorCode() === 'ROLE_HEARTBEAT_TIMEOUT', 30_000), 'heartbeat timeout');
  t.ok(await r.until(() => r.ready(), 60_000), 'the next connection works');
  t.ok(r.converged(), 'converged');
});

t.test('truncated frame then close: PROTO_TRUNCATED', async (t) => {
  const r = await rig(t);
  r.server.addFault({ truncate: { afterFrames: 2, then: 'close' }, times: 1 });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_TRUNCATED', 5_000), 'typed error PROTO_TRUNCATED');
  t.ok(await r.until(() => r.ready(), 60_000), 'ready on the next connection');
  t.ok(r.converged());
});
