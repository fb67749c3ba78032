import { makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** Frames cut into tiny writes of 1..maxChunk bytes (seeded), delayMs apart. */
export const slicer: FaultDefinition = {
  name: 'slicer',
  usage: 'maxChunk=N,delayMs=N',
  summary: 'cut every frame into writes of 1..maxChunk bytes, delayMs apart',
  define(spec, o) {
    const maxChunk = o.number('maxChunk', { def: 4, min: 1, integer: true });
    const delayMs = o.number('delayMs', { def: 0, duration: true });
    return makeFault(spec, `slicer ≤${maxChunk}B${delayMs ? ` every ${delayMs}ms` : ''}`, (conn) => ({
      split(bytes) {
        const out: Buffer[] = [];
        for (let pos = 0; pos < bytes.length; ) {
          const n = 1 + Math.floor(conn.random.next() * maxChunk);
          out.push(bytes.subarray(pos, pos + n));
          pos += n;
        }
        return out;
      },
      occupy: () => delayMs,
    }));
  },
};
