import { makeFault, type OutItem } from './fault.js';
import type { FaultDefinition } from './options.js';

/**
 * Half a frame, then silence (the socket stays open: only the heartbeat
 * notices) or, with then=close, the end of the stream (PROTO_TRUNCATED).
 * The frame cut is the one after afterFrames more frames.
 */
export const truncate: FaultDefinition = {
  name: 'truncate',
  usage: 'afterFrames=N,then=silence|close',
  summary: 'send half of a frame, then nothing (or close: PROTO_TRUNCATED)',
  define(spec, o) {
    const afterFrames = o.number('afterFrames', { def: 1, integer: true });
    const then = o.oneOf('then', ['silence', 'close'] as const, 'silence');
    return makeFault(spec, `truncate frame ${afterFrames + 1}, then ${then}`, (conn) => {
      let seen = 0;
      let half: OutItem | undefined;
      let cut = false;
      return {
        message(item) {
          if (half || !item.msg || seen++ < afterFrames) return [item];
          half = { bytes: item.bytes.subarray(0, Math.max(1, Math.floor(item.bytes.length / 2))) };
          return [half];
        },
        written(_chunk, item, last) {
          if (item !== half || !last) return;
          cut = true;
          if (then === 'close') conn.end('stream ended inside a frame');
        },
        mute: () => cut,
      };
    });
  },
};
