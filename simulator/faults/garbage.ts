import { injectAfter, makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/**
 * Garbage bytes (seeded) on the wire after afterFrames frames. The first byte
 * has its high bit set, so it is never "SP" nor the start of a known
 * protocol: the role reports PROTO_BAD_MAGIC.
 */
export const garbage: FaultDefinition = {
  name: 'garbage',
  usage: 'bytes=N,afterFrames=N',
  summary: 'write `bytes` random bytes after afterFrames frames (role: PROTO_BAD_MAGIC)',
  define(spec, o) {
    const bytes = o.number('bytes', { def: 16, min: 1, max: 1 << 20, integer: true });
    const afterFrames = o.number('afterFrames', { def: 1, integer: true });
    return makeFault(spec, `garbage ${bytes}B after ${afterFrames} frames`, (conn) =>
      injectAfter(afterFrames, conn, () => {
        const b = Buffer.alloc(bytes);
        for (let i = 0; i < bytes; i++) b[i] = Math.floor(conn.random.next() * 256);
        b[0] = 0x80 | (b[0] ?? 0);
        return [{ bytes: b }];
      }),
    );
  },
};
