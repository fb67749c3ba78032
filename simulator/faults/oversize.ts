import { HEADER_SIZE, MAGIC_0, MAGIC_1 } from '../../protocol/version.js';
import { injectAfter, makeFault } from './fault.js';
import type { FaultDefinition } from './options.js';

/** A frame header announcing `length` bytes (default 4 GiB - 1) after afterFrames frames: PROTO_FRAME_TOO_LARGE. */
export const oversize: FaultDefinition = {
  name: 'oversize',
  usage: 'length=N,afterFrames=N',
  summary: 'send a header announcing a frame larger than any limit (role: PROTO_FRAME_TOO_LARGE)',
  define(spec, o) {
    const length = o.number('length', { def: 0xffffffff, max: 0xffffffff, integer: true });
    const afterFrames = o.number('afterFrames', { def: 1, integer: true });
    return makeFault(spec, `oversize frame header (${length} B) after ${afterFrames} frames`, (conn) =>
      injectAfter(afterFrames, conn, () => {
        const h = Buffer.alloc(HEADER_SIZE);
        h[0] = MAGIC_0;
        h[1] = MAGIC_1;
        h.writeUInt32BE(length, 2);
        return [{ bytes: h }];
      }),
    );
  },
};
