/**
 * One worker thread of `npm run load`: a share of the plugin roles, each in its
 * own Security Center, all dialling the one fake SiPass server when the runner
 * says "go" (every worker in the same instant: an SC site whose roles all start
 * together). Reports, per role, when it was ready, every connection it lost and
 * why, its digest and its counts; then, once told to stop, how much of this
 * thread's heap the roles held and gave back.
 */
import v8 from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { tcpConnector, type Connector } from '../../plugin/connection/connector.js';
import type { PluginRole, RoleNotice } from '../../plugin/pluginRole.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { SIPASS_TYPES, type SiPassType } from '../../protocol/sipassTypes.js';
import { settledHeap } from './settledHeap.js';

export interface RoleWorkerData {
  /** Global index of this worker's first role (names are "load role <index + 1>"). */
  first: number;
  count: number;
  host: string;
  port: number;
  readyWithinMs: number;
}

/**
 * One connection attempt of a role, on this machine's wall clock (Date.now(), comparable with the
 * server's log timestamps): when the role dialled, when its loop saw the TCP connect (its
 * handshake timer starts there), its local port (the server's log names it), when its loop read
 * the first byte (the welcome), and the code it ended with, if it ended before the run did.
 */
export interface ConnectionTrace {
  dialAt: number;
  connectAt?: number;
  localPort?: number;
  firstByteAt?: number;
  code?: string;
}

export interface RoleOutcome {
  name: string;
  ready: boolean;
  /** From "go" to `ready`, ms (wall clock of this thread). */
  readyMs: number;
  /** Every connection lost, and every error reported, from "go" until all this worker's roles were ready: "CODE (while STATE): message". */
  lost: string[];
  digest: string;
  serverDigest: string | null;
  counts: Partial<Record<SiPassType, number>>;
  attempts: ConnectionTrace[];
}

export type ToRoleWorker = { cmd: 'go' } | { cmd: 'stop' };

export type FromRoleWorker =
  | { kind: 'created' }
  | {
      kind: 'ready';
      roles: RoleOutcome[];
      /** This thread's event loop: the longest delay seen while the roles synced (ms). */
      loopDelayMaxMs: number;
      loopDelayP99Ms: number;
      heapBefore: number;
      heapAtReady: number;
    }
  | { kind: 'stopped'; heapRetained: number; heapAfterStop: number }
  | { kind: 'failed'; message: string };


const port = parentPort;
if (!port) throw new Error('roleWorker.ts runs as a worker thread');
const send = (m: FromRoleWorker): void => port.postMessage(m);
const data = workerData as RoleWorkerData;

const heapBefore = settledHeap();
let roles: PluginRole[] = [];
const lost = new Map<PluginRole, string[]>();
const traces = new Map<PluginRole, ConnectionTrace[]>();
/** The role's own TCP connector, watched: the trace costs two listeners per connection. */
function tracingConnector(attempts: ConnectionTrace[]): Connector {
  return (host, port) => {
    const socket = tcpConnector(host, port) as net.Socket;
    const t: ConnectionTrace = { dialAt: Date.now() };
    attempts.push(t);
    socket.once('connect', () => {
      t.connectAt = Date.now();
      t.localPort = socket.localPort;
    });
    socket.once('data', () => {
      t.firstByteAt = Date.now();
    });
    return socket;
  };
}
for (let i = 0; i < data.count; i++) {
  const n = data.first + i + 1;
  const attempts: ConnectionTrace[] = [];
  const role = createPluginRole(new SecurityCenter(), `load role ${n}`, { roleId: `load-role-${n}`, connector: tracingConnector(attempts) });
  const mine: string[] = [];
  lost.set(role, mine);
  traces.set(role, attempts);
  role.on('notice', (notice: RoleNotice) => {
    // Every connection that ends, and every error the server or the sync reports, is one 'error' notice.
    if (notice.kind === 'error') {
      mine.push(`${notice.error.code} (while ${role.state}): ${notice.error.message}`);
      const last = attempts.at(-1);
      if (last && last.code === undefined) last.code = notice.error.code;
    }
  });
  roles.push(role);
}
const loop = monitorEventLoopDelay({ resolution: 10 });

async function go(): Promise<void> {
  const started = performance.now();
  loop.enable();
  // All of this thread's roles in the same tick, as the runner's other workers do.
  for (const role of roles) role.apply({ host: data.host, port: data.port, credentialSync: true });
  const outcomes = await Promise.all(
    roles.map(async (role): Promise<RoleOutcome> => {
      let ready = true;
      try {
        await role.waitFor('ready', data.readyWithinMs);
      } catch {
        ready = false;
      }
      const readyMs = performance.now() - started;
      const snap = role.snapshot();
      const counts = Object.fromEntries(SIPASS_TYPES.map((type) => [type, role.entities.sourceCount(type)]));
      return { name: role.name, ready, readyMs, lost: lost.get(role) ?? [], digest: snap.digest, serverDigest: snap.serverDigest, counts, attempts: traces.get(role) ?? [] };
    }),
  );
  loop.disable();
  send({
    kind: 'ready',
    roles: outcomes,
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    heapBefore,
    heapAtReady: v8.getHeapStatistics().used_heap_size,
  });
}

function stop(): void {
  const heapRetained = settledHeap() - heapBefore;
  for (const role of roles) role.stop();
  roles = [];
  lost.clear();
  traces.clear();
  // Let the sockets close before measuring what is left.
  setTimeout(() => {
    send({ kind: 'stopped', heapRetained, heapAfterStop: settledHeap() - heapBefore });
    port?.close();
  }, 100);
}

port.on('message', (m: ToRoleWorker) => {
  if (m.cmd === 'go') go().catch((e: unknown) => send({ kind: 'failed', message: e instanceof Error ? e.message : String(e) }));
  else stop();
});
send({ kind: 'created' });
