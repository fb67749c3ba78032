/**
 * Child process: the limit. A raw socket asks the server for the same full
 * sync the role asks for and decodes every frame until syncEnd, touching no
 * Security Center model: what the wire and the decoder alone cost.
 * Commands: limit -> limitDone, exit; liveLimit -> liveLimitReady, liveLimitDone, exit
 * (the same for the live stream, bench/liveLimit.ts).
 */
import net from 'node:net';
import { encodeMessage } from '../protocol/encodeMessage.js';
import { FrameDecoder } from '../protocol/frameDecoder.js';
import type { SiPassType } from '../protocol/sipassTypes.js';
import { PACKED } from '../protocol/packedBatch.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { leave, serveCommands, toParent, type LimitReport } from './ipc.js';
import { decodeLive } from './liveLimit.js';
import { MemorySampler } from './memorySampler.js';

const memory = new MemorySampler();

function limit(host: string, port: number, types: SiPassType[], timeoutMs: number): Promise<LimitReport> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    let entities = 0;
    let t0 = 0;
    let cpu0 = process.cpuUsage();
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => fail(new Error(`limit: no syncEnd within ${timeoutMs}ms`)), timeoutMs);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(e);
    };
    socket.once('connect', () => {
      t0 = performance.now();
      cpu0 = process.cpuUsage();
      socket.write(encodeMessage({ t: 'hello', v: PROTOCOL_VERSION, roleId: 'bench-limit', roleName: 'bench limit', epoch: '', lastSeq: 0, batchEncodings: [PACKED] }));
      socket.write(encodeMessage({ t: 'syncRequest', id: 1, mode: 'full', types }));
    });
    socket.on('data', (chunk: Buffer) => {
      let messages;
      try {
        messages = decoder.push(chunk);
      } catch (e) {
        fail(e as Error);
        return;
      }
      for (const m of messages) {
        if (m.t === 'batch') entities += m.items.length;
        else if (m.t === 'error') return fail(new Error(`limit: the server sent ${m.code}: ${m.message}`));
        else if (m.t === 'syncEnd') {
          const ms = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          clearTimeout(timer);
          socket.destroy();
          resolve({ kind: 'limitDone', ms, bytes: decoder.bytes, frames: decoder.frames, entities, digestFromServer: m.digest, peak: memory.peak(), cpuMs: (cpu.user + cpu.system) / 1000 });
          return;
        }
      }
    });
    socket.on('error', (e) => fail(e));
    // Without this a closed connection left the process with nothing to do: it exited, unexplained.
    socket.on('close', () => fail(new Error('limit: the server closed the connection before syncEnd')));
  });
}

serveCommands(async (c) => {
  if (c.cmd !== 'limit' && c.cmd !== 'liveLimit') throw new Error(`the bench limit does not take "${c.cmd}"`);
  try {
    if (c.cmd === 'limit') toParent(await limit(c.host, c.port, c.types, c.timeoutMs));
    else toParent(await decodeLive(c.host, c.port, c.count, c.timeoutMs, () => toParent({ kind: 'liveLimitReady' })));
  } finally {
    memory.stop();
    leave();
  }
});
