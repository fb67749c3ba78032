import net from 'node:net';
import { encodeMessage } from '../protocol/encodeMessage.js';
import { FrameDecoder } from '../protocol/frameDecoder.js';
import { SIPASS_TYPES } from '../protocol/sipassTypes.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { nowAbs, type LiveLimitReport } from './ipc.js';

/**
 * The live stream's limit (issue 14 item 5): a decode-only client that does what the role does
 * on the wire and nothing else. It syncs once (the server streams live messages only to a role
 * that synced, R12), then decodes alarms and events and acknowledges them cumulatively after
 * every socket chunk, as the role does (plugin/pluginRole.ts flushAck), so the server's pump
 * sees the same backpressure. `onLive` is called once it is live; the promise settles when
 * `count` alarms and events were decoded and no more came for a quarter second.
 */
export function decodeLive(host: string, port: number, count: number, timeoutMs: number, onLive: () => void): Promise<LiveLimitReport> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    let live = false;
    let received = 0;
    let lastSeq = 0;
    let ackedSeq = 0;
    let doneAt: number | null = null;
    let settle: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ kind: 'liveLimitDone', received, doneAt, lastSeq });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.once('connect', () => {
      socket.write(encodeMessage({ t: 'hello', v: PROTOCOL_VERSION, roleId: 'bench-live-limit', roleName: 'bench live limit', epoch: '', lastSeq: 0 }));
      socket.write(encodeMessage({ t: 'syncRequest', id: 1, mode: 'full', types: [...SIPASS_TYPES] }));
    });
    socket.on('data', (chunk: Buffer) => {
      let messages;
      try {
        messages = decoder.push(chunk);
      } catch (e) {
        clearTimeout(timer);
        socket.destroy();
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      for (const m of messages) {
        if (m.t === 'syncEnd' && !live) {
          live = true;
          onLive();
        } else if (m.t === 'alarm' || m.t === 'event') {
          received++;
          lastSeq = Math.max(lastSeq, m.seq);
        } else if (m.t === 'change' || m.t === 'alarmAck' || m.t === 'alarmClear') {
          lastSeq = Math.max(lastSeq, m.seq);
        }
      }
      if (lastSeq > ackedSeq) {
        ackedSeq = lastSeq;
        socket.write(encodeMessage({ t: 'ack', seq: lastSeq }));
      }
      if (doneAt === null && received >= count) doneAt = nowAbs();
      if (doneAt !== null) {
        clearTimeout(settle);
        settle = setTimeout(finish, 250);
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(settle);
      reject(new Error('live limit: the server closed the connection'));
    });
  });
}
