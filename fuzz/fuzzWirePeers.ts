/**
 * The wire-peer fuzzer (issue 11 item 6): hostile peers of the fake SiPass server over loopback
 * TCP, a few at a time, each with a behaviour drawn from the seed: dribble a hello one byte at a
 * time, send a frame header and stall, send a partial frame just under the input cap, ping
 * without ever reading, send garbage, or connect and say nothing. The server runs with short
 * limits (a handshake of 300 ms, an idle timeout of 600 ms, a 64 KiB input cap, a 256 KiB output
 * cap) on the real clock. Checked: every hostile peer is closed by the server within its limits
 * (and a bound), the bytes the server holds for any peer stay under its caps whenever sampled,
 * and after every round a well-behaved peer still gets its welcome. A violation names the seed,
 * the round and the behaviours.
 */
import { encodeMessage } from '../protocol/encodeMessage.js';
import { SiPassServer } from '../simulator/sipassServer.js';
import { Rng } from './rng.js';
import { helloMessage, pingFrames, WirePeer } from './wirePeer.js';

export const PEER_BEHAVIOURS = ['dribbleHello', 'headerOnly', 'partialFrame', 'pingNoRead', 'garbage', 'silent'] as const;
export type PeerBehaviour = (typeof PEER_BEHAVIOURS)[number];

export interface PeerFuzzReport {
  seed: number;
  peers: number;
  rounds: number;
  /** How each hostile peer ended, per behaviour: the close reason's code or "open" (a violation). */
  outcomes: Record<string, number>;
  violations: string[];
  /** Most bytes the server held for one peer, in and out, over every sample. */
  maxBufferedIn: number;
  maxQueuedOut: number;
  elapsedMs: number;
}

const LIMITS = { handshakeTimeoutMs: 300, idleTimeoutMs: 600, maxInputBytes: 64 * 1024, maxOutputBytes: 256 * 1024, maxConnections: 100 };
/** A hostile peer still open this long after it started is a violation (the limits act within ~1 s). */
const CLOSE_WITHIN_MS = 5_000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function behave(peer: WirePeer, b: PeerBehaviour, rng: Rng): Promise<void> {
  switch (b) {
    case 'dribbleHello': {
      const bytes = encodeMessage(helloMessage(`dribble-${rng.int(1e6)}`));
      // Slower than the handshake allows: a byte every 50-150 ms.
      for (const byte of bytes) {
        if (peer.closed) return;
        peer.write(Buffer.from([byte]));
        await sleep(50 + rng.int(100));
      }
      return;
    }
    case 'headerOnly': {
      const frame = encodeMessage(helloMessage('header'));
      peer.write(frame.subarray(0, 2 + rng.int(Math.min(8, frame.length - 2))));
      return;
    }
    case 'partialFrame': {
      // A header announcing just under the input cap, then part of it: the server holds at most the cap.
      const length = LIMITS.maxInputBytes - 16 - rng.int(1024);
      const header = Buffer.alloc(6);
      header.write('SP', 0, 'latin1');
      header.writeUInt32BE(length, 2);
      peer.write(Buffer.concat([header, Buffer.alloc(Math.floor(length / 2), 0x7b)]));
      return;
    }
    case 'pingNoRead': {
      peer.send(helloMessage(`noread-${rng.int(1e6)}`));
      peer.stopReading();
      for (let i = 0; i < 20 && !peer.closed; i++) {
        peer.write(pingFrames(2_000, i * 2_000 + 1));
        await sleep(20);
      }
      return;
    }
    case 'garbage': {
      const junk = Buffer.alloc(1 + rng.int(4096));
      for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
      junk[0] = 0x00; // never "SP" nor a known greeting
      peer.write(junk);
      return;
    }
    case 'silent':
      return;
  }
}

/**
 * Runs `peers` hostile peers in rounds of `concurrency` against one server, then a good peer
 * after each round. Never throws for what the peers do; the report lists violations.
 */
export async function fuzzWirePeers(options: { peers: number; seed: number; concurrency?: number }): Promise<PeerFuzzReport> {
  const started = performance.now();
  const concurrency = options.concurrency ?? 6;
  const server = new SiPassServer({ population: { seed: 7, cardholders: 200, doorsets: 20 }, limits: LIMITS });
  const { port } = await server.listen(0, '127.0.0.1');
  const report: PeerFuzzReport = { seed: options.seed, peers: 0, rounds: 0, outcomes: {}, violations: [], maxBufferedIn: 0, maxQueuedOut: 0, elapsedMs: 0 };
  const closeReasons = new Map<number, string>();
  const sessionOf = new Map<string, number>();
  server.on('event', (e: { kind: string; session?: number; reason?: string; remote?: string }) => {
    if (e.kind === 'connection' && e.session !== undefined && e.remote !== undefined) sessionOf.set(e.remote, e.session);
    if (e.kind === 'closed' && e.session !== undefined) closeReasons.set(e.session, e.reason ?? '');
  });
  const sampler = setInterval(() => {
    for (const s of server.stats().sessions) {
      report.maxBufferedIn = Math.max(report.maxBufferedIn, s.bufferedIn ?? 0);
      report.maxQueuedOut = Math.max(report.maxQueuedOut, s.queuedOut ?? 0);
    }
  }, 25);
  try {
    for (let round = 0; report.peers < options.peers; round++) {
      const rng = new Rng(options.seed, round);
      const n = Math.min(concurrency, options.peers - report.peers);
      const behaviours = Array.from({ length: n }, () => PEER_BEHAVIOURS[rng.int(PEER_BEHAVIOURS.length)] as PeerBehaviour);
      const runs = behaviours.map(async (b) => {
        const peer = await WirePeer.connect(port);
        const t0 = performance.now();
        // The server's session for this peer (a peer that does not read never sees the close itself).
        const remote = `127.0.0.1:${peer.socket.localPort}`;
        let session: number | undefined;
        for (let i = 0; i < 100 && session === undefined; i++) {
          session = server.stats().sessions.find((x) => x.remote === remote)?.id ?? sessionOf.get(remote);
          if (session === undefined) await sleep(10);
        }
        await behave(peer, b, rng);
        while (session !== undefined && !closeReasons.has(session) && performance.now() - t0 < CLOSE_WITHIN_MS) await sleep(20);
        const reason = session === undefined ? 'never seen' : closeReasons.get(session);
        const key = `${b}: ${reason === undefined ? 'open' : (/^[A-Z_]+(?=:)/.exec(reason)?.[0] ?? reason.replace(/\d+/g, 'N'))}`;
        report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
        if (reason === undefined) report.violations.push(`round ${round} (seed ${options.seed}): a ${b} peer was still open ${Math.round(performance.now() - t0)} ms after it started`);
        peer.destroy();
      });
      await Promise.all(runs);
      report.peers += n;
      report.rounds++;
      // The server still serves a role that behaves.
      const good = await WirePeer.connect(port);
      good.send(helloMessage(`good-${round}`));
      const deadline = Date.now() + CLOSE_WITHIN_MS;
      while (!good.received.some((m) => m.t === 'welcome') && !good.closed && Date.now() < deadline) await sleep(10);
      if (!good.received.some((m) => m.t === 'welcome')) report.violations.push(`round ${round} (seed ${options.seed}, ${behaviours.join(', ')}): a well-behaved peer got no welcome`);
      good.destroy();
    }
    if (report.maxBufferedIn > LIMITS.maxInputBytes) report.violations.push(`the server held ${report.maxBufferedIn} bytes of input for one peer, over the ${LIMITS.maxInputBytes}-byte cap`);
    // The output cap is checked after a write, so one frame may overshoot it.
    if (report.maxQueuedOut > LIMITS.maxOutputBytes + 64 * 1024) report.violations.push(`the server queued ${report.maxQueuedOut} bytes for one peer, over the ${LIMITS.maxOutputBytes}-byte cap`);
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
  report.elapsedMs = performance.now() - started;
  return report;
}

export function formatPeerReport(r: PeerFuzzReport): string {
  const outcomes = Object.entries(r.outcomes)
    .sort()
    .map(([k, v]) => `  ${k.padEnd(40)} ${String(v).padStart(6)}`);
  return [
    `wire peers: ${r.peers} hostile peers in ${r.rounds} rounds, seed ${r.seed} (replay: FUZZ_SEED=${r.seed}), ${(r.elapsedMs / 1000).toFixed(2)} s; most held for one peer: ${r.maxBufferedIn} bytes in, ${r.maxQueuedOut} bytes out`,
    ' outcomes (behaviour: how the server ended it):',
    ...outcomes,
    ` violations: ${r.violations.length}`,
    ...r.violations.map((v) => `  - ${v}`),
  ].join('\n');
}
