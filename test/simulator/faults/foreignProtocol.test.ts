import t from 'tap';
import { rig } from '../../helpers/faultRig.js';

t.test('an HTTP answer to hello: PROTO_FOREIGN_PROTOCOL naming HTTP; ready on the next connection', async (t) => {
  const r = await rig(t);
  r.server.addFault({ foreignProtocol: {}, times: 1 });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_FOREIGN_PROTOCOL', 5_000), 'typed error');
  t.match(r.role.snapshot().lastError?.message ?? '', /HTTP/);
  t.match(r.serverEnds[0]?.written[0]?.toString('latin1') ?? '', /^HTTP\/1\.1 400/, 'the server wrote an HTTP response');
  t.ok(await r.until(() => r.ready(), 60_000), 'ready again');
  t.ok(r.converged());
});

t.test('an SSH banner is named too', async (t) => {
  const r = await rig(t);
  r.server.addFault({ foreignProtocol: { speaks: 'ssh' }, times: 1 });
  t.ok(await r.until(() => r.errorCode() === 'PROTO_FOREIGN_PROTOCOL', 5_000));
  t.match(r.role.snapshot().lastError?.message ?? '', /SSH/);
});
