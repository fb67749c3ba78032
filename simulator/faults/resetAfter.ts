import { SIPASS_TYPES, type SiPassType } from '../../protocol/sipassTypes.js';
import { isLive, makeFault, type ConnectionFault, type FaultConnection } from './fault.js';
import type { FaultDefinition, FaultOptions } from './options.js';

/** Where a reset happens: after N frames, N bytes (mid-frame if need be), the Nth batch (of a type), or the first live message. */
export type ResetTrigger =
  | { kind: 'frames'; n: number }
  | { kind: 'bytes'; n: number }
  | { kind: 'batch'; n: number; type?: SiPassType }
  | { kind: 'live'; n: number };

function readTrigger(o: FaultOptions): ResetTrigger {
  const point = o.value('point');
  const given: ResetTrigger[] = [];
  if (o.has('frames')) given.push({ kind: 'frames', n: o.number('frames', { def: 0, integer: true }) });
  if (o.has('bytes')) given.push({ kind: 'bytes', n: o.number('bytes', { def: 0, integer: true }) });
  // `point: { afterBatch: 3, type: cardholders }` in YAML; `afterBatch=3,type=cardholders` on the command line.
  const batchOf = (src: Record<string, unknown>): ResetTrigger | undefined => {
    const n = Number(src.afterBatch);
    if (!Number.isInteger(n) || n < 1) {
      o.problems.push(`resetAfter.afterBatch must be a whole number from 1, got ${JSON.stringify(src.afterBatch)}`);
      return undefined;
    }
    const type = src.type;
    if (type !== undefined && !(SIPASS_TYPES as readonly unknown[]).includes(type)) {
      o.problems.push(`resetAfter type must be one of ${SIPASS_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
      return undefined;
    }
    return { kind: 'batch', n, ...(type !== undefined ? { type: type as SiPassType } : {}) };
  };
  if (o.has('afterBatch')) {
    const t = batchOf({ afterBatch: o.value('afterBatch'), type: o.value('type') });
    if (t) given.push(t);
  } else o.value('type');
  if (point !== undefined && point !== null) {
    if (point === 'live') given.push({ kind: 'live', n: 1 });
    else if (typeof point === 'object' && !Array.isArray(point)) {
      const p = point as Record<string, unknown>;
      const extra = Object.keys(p).filter((k) => k !== 'afterBatch' && k !== 'type' && k !== 'afterLive');
      if (extra.length > 0) o.problems.push(`resetAfter.point takes afterBatch, type or afterLive, not ${extra.join(', ')}`);
      if (p.afterLive !== undefined) {
        const n = Number(p.afterLive);
        if (!Number.isInteger(n) || n < 1) o.problems.push(`resetAfter.point.afterLive must be a whole number from 1, got ${JSON.stringify(p.afterLive)}`);
        else given.push({ kind: 'live', n });
      } else {
        const t = batchOf(p);
        if (t) given.push(t);
      }
    } else o.problems.push(`resetAfter.point must be "live" or { afterBatch: N, type?: T }, got ${JSON.stringify(point)}`);
  }
  if (given.length !== 1) {
    if (o.problems.length === 0) o.problems.push(`resetAfter needs exactly one of frames, bytes, point (got ${given.length})`);
    return { kind: 'frames', n: 0 };
  }
  return given[0] as ResetTrigger;
}

function describe(t: ResetTrigger): string {
  switch (t.kind) {
    case 'frames':
      return t.n === 0 ? 'reset at once' : `reset after ${t.n} frames`;
    case 'bytes':
      return `reset after ${t.n} bytes`;
    case 'batch':
      return `reset after batch ${t.n}${t.type ? ` of ${t.type}` : ''}`;
    case 'live':
      return t.n === 1 ? 'reset during the live stream' : `reset after ${t.n} live messages`;
  }
}

function behaviour(t: ResetTrigger, conn: FaultConnection): ConnectionFault {
  let frames = 0;
  let bytes = 0;
  let planned = 0;
  let fired = false;
  const fire = (): void => {
    if (fired) return;
    fired = true;
    conn.reset(describe(t));
  };
  return {
    attached() {
      if (t.kind === 'frames' && t.n === 0) fire();
    },
    // A byte-exact reset cuts the write at the limit.
    split: (chunk) => {
      if (t.kind !== 'bytes') return [chunk];
      const room = t.n - planned;
      planned += chunk.length;
      return room > 0 && room < chunk.length ? [chunk.subarray(0, room), chunk.subarray(room)] : [chunk];
    },
    written(chunk, item, last) {
      if (fired) return;
      if (t.kind === 'bytes') {
        bytes += chunk.length;
        if (bytes >= t.n) fire();
        return;
      }
      if (!last || !item.msg) return;
      const m = item.msg;
      if (t.kind === 'frames' && ++frames >= t.n) fire();
      else if (t.kind === 'batch' && m.t === 'batch' && (t.type === undefined || m.type === t.type) && ++frames >= t.n) fire();
      else if (t.kind === 'live' && isLive(m) && ++frames >= t.n) fire();
    },
  };
}

/** Resets the connection (TCP RST) at once, after N frames or bytes, or at a protocol point. */
export const resetAfter: FaultDefinition = {
  name: 'resetAfter',
  usage: 'frames=N | bytes=N | afterBatch=N[,type=T] | point=live',
  summary: 'reset the connection at once (frames=0), after N frames or bytes, after batch N (of a type), or during the live stream',
  define(spec, o) {
    const t = readTrigger(o);
    return makeFault(spec, describe(t), (conn) => behaviour(t, conn));
  },
};
