import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('oversize frame header: PROTO_FRAME_TOO_LARGE before any allocation; ready on the next connection', async (t) => {
  const r = await rig(t);
  r.server.addFault({ oversize: {}, times: 1 });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_FRAME_TOO_LARGE', 5_000), 'typed error');
  t.match(r.role.snapshot().lastError?.message ?? '', /4294967295 bytes exceeds/);
  t.ok(await r.until(() => r.ready(), 60_000), 'ready again');
  t.ok(r.converged());
});
