import t from 'tap';
import { createFault } from '../../../simulator/faults/index.js';
import { rig } from '../../helpers/faultRig.js';

t.test('garbage bytes: the role reports PROTO_BAD_MAGIC, never crashes, and is ready again once cleared', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ garbage: { bytes: 32, afterFrames: 0 }, seed: 9 });
  t.ok(await r.until(() => r.role.state === 'connecting', 1_000), 'the connection ends at once');
  const err = r.role.snapshot().lastError;
  t.equal(err?.code, 'PROTO_BAD_MAGIC', 'typed protocol error in the snapshot');
  t.match(err?.message ?? '', /malformed frame/);
  const first = r.serverEnds[0]?.written.at(-1);
  t.equal(first?.length, 32, 'exactly 32 bytes of garbage');
  t.ok(((first?.[0] ?? 0) & 0x80) !== 0, 'first byte never looks like "SP" or another protocol');
  await r.wait(5_000);
  t.equal(r.errorCode(), 'PROTO_BAD_MAGIC', 'new connections get garbage too (toxicity 1)');
  t.ok(r.dials >= 2, 'the role kept reconnecting');
  r.server.clearFaults();
  t.ok(await r.until(() => r.ready(), 60_000), 'ready once cleared');
  t.ok(r.converged(), 'converged');
});

t.test('garbage is seeded: the same seed writes the same bytes', async (t) => {
  const bytesOf = (seed: number): Buffer => {
    const f = createFault({ name: 'garbage', options: { bytes: 16, afterFrames: 0 }, seed });
    let out = Buffer.alloc(0);
    const b = f.attach({ session: 1, clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined }, reset: () => undefined, end: () => undefined, inject: (items) => (out = Buffer.concat(items.map((i) => i.bytes))) });
    b?.attached?.();
    return out;
  };
  t.same(bytesOf(4), bytesOf(4));
  t.notSame(bytesOf(4), bytesOf(5));
});
