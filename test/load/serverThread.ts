/**
 * Worker thread for test/load/fiftyRoles.test.ts: the one fake SiPass server,
 * in the test's process but on its own V8 isolate, so the server's heap is
 * measured apart from the 50 roles' (process RSS stays shared).
 *
 * Messages to the parent: listening (port, the site's digest, heap baseline,
 * the measured size of a materialised population), stats (peak heap so far,
 * server counters), stopped.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { SIPASS_TYPES, type SiPassRecord } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { SiPassServer } from '../../simulator/sipassServer.js';

export interface ServerThreadData {
  population: PopulationSpec;
}

export type ToServerThread = { cmd: 'stats' } | { cmd: 'stop' };

export type FromServerThread =
  | { kind: 'listening'; port: number; digest: string; total: number; heapBaseline: number; materialisedBytes: number }
  | {
      kind: 'stats';
      /** Highest used heap seen (garbage not yet collected included). */
      heapPeak: number;
      /** Highest used heap right after a forced full GC: the live set. */
      livePeak: number;
      /** Highest external memory (Buffers: frames queued on sockets). */
      externalPeak: number;
      liveSamples: number;
      heapNow: number;
      connections: number;
      framesOut: number;
      bytesOut: number;
      sessionsServed: number;
    }
  | { kind: 'stopped' }
  | { kind: 'failed'; message: string };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapUsed = (): number => v8.getHeapStatistics().used_heap_size;
const external = (): number => v8.getHeapStatistics().external_memory;
const settledHeap = (): number => {
  gc();
  gc();
  return heapUsed();
};

const port = parentPort;
if (!port) throw new Error('serverThread.ts runs as a worker thread');
const send = (m: FromServerThread): void => port.postMessage(m);

const { population } = workerData as ServerThreadData;
const server = new SiPassServer({ population, host: '127.0.0.1', port: 0, name: 'load-test fake SiPass proxy' });
let sessionsServed = 0;
server.on('event', (e: { kind: string }) => {
  if (e.kind === 'connection') sessionsServed++;
});

// What the server would cost if it held the site: every entity as an object, measured once, then dropped.
const before = settledHeap();
let held: SiPassRecord[] | undefined = SIPASS_TYPES.flatMap((type) => [...server.site.entities(type)]);
const total = held.length;
const materialisedBytes = settledHeap() - before;
held = undefined;

const digest = new SiteDigest();
for (const type of SIPASS_TYPES) for (const r of server.site.entities(type)) digest.add(type, r);

try {
  const { port: bound } = await server.listen();
  const heapBaseline = settledHeap();
  let heapPeak = heapBaseline;
  let livePeak = heapBaseline;
  let externalPeak = external();
  let liveSamples = 0;
  let ticks = 0;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, heapUsed());
    externalPeak = Math.max(externalPeak, external());
    // Every 2nd tick, the live set: a full GC on this thread only (it slows the server, not the roles).
    // Under load the ticks come late (a busy loop), so this is every 20 ms at rest, less often while syncing.
    if (++ticks % 2 === 0) {
      livePeak = Math.max(livePeak, settledHeap());
      liveSamples++;
    }
  }, 10);
  send({ kind: 'listening', port: bound, digest: digest.toString(), total, heapBaseline, materialisedBytes });
  port.on('message', (c: ToServerThread) => {
    if (c.cmd === 'stats') {
      heapPeak = Math.max(heapPeak, heapUsed());
      const s = server.stats();
      const heapNow = settledHeap();
      send({ kind: 'stats', heapPeak, livePeak, externalPeak, liveSamples, heapNow, connections: s.connections, framesOut: s.framesOut, bytesOut: s.bytesOut, sessionsServed });
    } else {
      clearInterval(sampler);
      void server.stop().then(() => {
        send({ kind: 'stopped' });
        port.close();
      });
    }
  });
} catch (e) {
  send({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
  port.close();
}
