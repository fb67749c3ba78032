/**
 * Child process: the two halves of the limit (issue 14, "an honest breakdown").
 * It builds the same site as the bench server, then
 *  - generation: serves one full sync to an in-memory stream (no socket) and
 *    times it: the server's own rate (generate, digest, encode, frame);
 *  - replay: keeps those bytes (welcome .. syncEnd) and writes them from
 *    memory to whoever connects: read by the limit's decode-only client, that
 *    is the wire-and-decode floor, with no generation behind it.
 * Its own process, so the recording (~100 bytes per entity) is not counted in
 * the bench server's memory. Commands: record -> recorded; stop -> stopped, exit.
 */
import net from 'node:net';
import { encodeMessage } from '../protocol/encodeMessage.js';
import { SIPASS_TYPES } from '../protocol/sipassTypes.js';
import { PACKED } from '../protocol/packedBatch.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import type { PopulationSpec } from '../simulator/populationSpec.js';
import { SiPassServer } from '../simulator/sipassServer.js';
import { leave, serveCommands, toParent, type RecordedReport } from './ipc.js';
import { MemorySampler } from './memorySampler.js';
import { RecordingStream } from './recordingStream.js';

const memory = new MemorySampler();
let listener: net.Server | undefined;

async function generate(population: PopulationSpec): Promise<{ chunks: Buffer[]; bytes: number; entities: number; ms: number; cpuMs: number }> {
  const server = new SiPassServer({ population, name: 'sipass-testbench bench server', epoch: 'bench-replay' });
  const entities = SIPASS_TYPES.reduce((n, t) => n + server.site.count(t), 0);
  const stream = new RecordingStream();
  server.attach(stream);
  stream.say(encodeMessage({ t: 'hello', v: PROTOCOL_VERSION, roleId: 'bench-replay', roleName: 'bench replay', epoch: '', lastSeq: 0, batchEncodings: [PACKED] }));
  // Timed from the request, like the limit and the role (their clocks start at connect).
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  stream.say(encodeMessage({ t: 'syncRequest', id: 1, mode: 'full', types: [...SIPASS_TYPES] }));
  await stream.syncEnded;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stream.destroy();
  await server.stop();
  return { chunks: stream.chunks, bytes: stream.bytes, entities, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Resolves at the socket's next drain or close, leaving no listener behind (20k waits at 10M). */
function drainedOrClosed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/** Writes the recording to each connection, one frame per write with backpressure, as the server does. */
function replay(chunks: Buffer[]): Promise<{ host: string; port: number }> {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.resume(); // the client's hello and request are read and ignored
    void (async () => {
      for (const c of chunks) {
        if (socket.destroyed) return;
        if (!socket.write(c)) await drainedOrClosed(socket);
      }
    })();
  });
  listener = server;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }));
  });
}

serveCommands(async (c) => {
  switch (c.cmd) {
    case 'record': {
      const g = await generate(c.population);
      const { host, port } = await replay(g.chunks);
      const report: RecordedReport = { kind: 'recorded', ms: g.ms, cpuMs: g.cpuMs, entities: g.entities, bytes: g.bytes, frames: g.chunks.length, host, port };
      toParent(report);
      return;
    }
    case 'stop': {
      const peak = memory.stop();
      listener?.close();
      toParent({ kind: 'stopped', peak });
      leave();
      return;
    }
    default:
      throw new Error(`the bench replay does not take "${c.cmd}"`);
  }
});
