import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('a welcome of another protocol version: PROTO_VERSION_MISMATCH, the role tells the server, then ready', async (t) => {
  const r = await rig(t);
  r.server.addFault({ wrongVersion: {} });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_VERSION_MISMATCH', 5_000), 'typed error');
  t.match(r.role.snapshot().lastError?.message ?? '', /speaks version 2/);
  t.equal(r.role.state, 'connecting', 'never synced with a server of another version');
  t.equal(r.role.snapshot().counts.cardholder, 0, 'nothing synchronized');
  await r.wait(10_000);
  t.equal(r.errorCode(), 'PROTO_VERSION_MISMATCH', 'still refused while the fault holds');
  r.server.removeFault('wrongVersion');
  t.ok(await r.until(() => r.ready(), 60_000), 'ready once the server speaks version 1');
  t.ok(r.converged());
});
