import net from 'node:net';
import type { Duplex } from 'node:stream';
import { SimulatedClock } from '../../core/clock.js';
import { isConverged } from '../../harness/runner/checkExpectation.js';
import type { Connector } from '../../plugin/connection/connector.js';
import type { PluginRole, PluginRoleOptions } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { Message } from '../../protocol/messages.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { SiPassServer } from '../../simulator/sipassServer.js';
import { duplexPair, type DuplexEnd } from './duplexPair.js';

export const SMALL_SITE: PopulationSpec = { seed: 3, alarmClasses: 3, cardholders: 20, workgroups: 4, doorsets: 4, units: 2, eventTypes: 6 };

export interface RigOptions {
  population?: PopulationSpec;
  batchSize?: number;
  /** Real loopback TCP instead of in-memory pipes (socket-level faults: RST). */
  tcp?: boolean;
  role?: Omit<PluginRoleOptions, 'clock' | 'connector'>;
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A fake server and a plugin role on one simulated clock, connected in memory
 * (or over loopback). Time moves only when the I/O is quiet, and every wait is
 * bounded in simulated time and in iterations.
 */
export class Rig {
  readonly clock = new SimulatedClock(0);
  readonly server: SiPassServer;
  readonly sc = new SecurityCenter();
  readonly role: PluginRole;
  /** The server's end of each in-memory connection (what it wrote: `written`). */
  readonly serverEnds: DuplexEnd[] = [];
  /** Sizes of the chunks the role read, per connection. */
  readonly chunks: number[][] = [];
  dials = 0;
  private port = 0;

  constructor(private readonly options: RigOptions = {}) {
    this.server = new SiPassServer({ population: options.population ?? SMALL_SITE, clock: this.clock, epoch: 'life-1', batchSize: options.batchSize ?? 5 });
    const connector: Connector = () => {
      this.dials++;
      const mine: number[] = [];
      this.chunks.push(mine);
      let end: Duplex;
      if (options.tcp) {
        const socket = net.connect({ host: '127.0.0.1', port: this.port });
        socket.setNoDelay(true);
        end = socket;
      } else {
        const [roleEnd, serverEnd] = duplexPair();
        this.serverEnds.push(serverEnd);
        this.server.attach(serverEnd);
        setImmediate(() => roleEnd.emit('connect'));
        end = roleEnd;
      }
      end.on('data', (c: Buffer) => mine.push(c.length));
      return end;
    };
    this.role = createPluginRole(this.sc, 'SiPass plugin', { roleId: 'role-faults', backoff: { seed: 11 }, ...options.role, clock: this.clock, connector });
  }

  async start(): Promise<this> {
    if (this.options.tcp) this.port = (await this.server.listen(0, '127.0.0.1')).port;
    this.role.apply({ host: '127.0.0.1', port: 5645 });
    return this;
  }

  async stop(): Promise<void> {
    this.role.stop();
    await this.server.stop();
  }

  /** Waits until no byte moves and no connection changes for a few turns (bounded). */
  async quiesce(): Promise<void> {
    let last = '';
    let stable = 0;
    for (let i = 0; i < 20_000 && stable < 6; i++) {
      if (this.options.tcp && stable >= 3) await pause(1);
      else await turn();
      const s = this.server.stats();
      const io = this.role.io();
      const sig = `${s.bytesOut}/${s.bytesIn}/${io.totalBytesIn}/${io.totalBytesOut}/${s.connections}/${this.dials}/${this.chunks.flat().length}`;
      if (sig === last) stable++;
      else {
        stable = 0;
        last = sig;
      }
    }
  }

  /** Runs simulated time, timer by timer, until `pred` holds or `maxMs` of simulated time passed. */
  async until(pred: () => boolean, maxMs = 60_000): Promise<boolean> {
    const deadline = this.clock.now() + maxMs;
    for (let i = 0; i < 100_000; i++) {
      await this.quiesce();
      if (pred()) return true;
      const next = this.clock.nextDue();
      if (next === undefined || next > deadline) {
        this.clock.advanceTo(deadline);
        await this.quiesce();
        return pred();
      }
      this.clock.advanceTo(next);
    }
    return pred();
  }

  /** Lets `ms` of simulated time pass. */
  async wait(ms: number): Promise<void> {
    await this.until(() => false, ms);
  }

  ready(): boolean {
    return this.role.state === 'ready';
  }

  converged(): boolean {
    return isConverged(this.role, this.server).ok;
  }

  errorCode(): string | undefined {
    return this.role.snapshot().lastError?.code;
  }

  /** Triggerings of one occurrence in the alarm monitor, by kind. */
  triggerings(occurrenceId: string, kind: 'raised' | 'retrigger' = 'raised'): number {
    return this.sc.monitor.list().filter((e) => e.occurrenceId === occurrenceId && e.kind === kind).length;
  }

  /** What the server wrote on in-memory connection `i`, decoded (stops at the first malformed frame). */
  framesSent(i: number): Message[] {
    const end = this.serverEnds[i];
    if (!end) return [];
    const d = new FrameDecoder({ maxFrame: 2 ** 32 });
    const out: Message[] = [];
    for (const c of end.written) {
      try {
        out.push(...d.push(c));
      } catch {
        break;
      }
    }
    return out;
  }
}

export async function rig(t: { teardown(fn: () => unknown): void }, options: RigOptions = {}): Promise<Rig> {
  const r = new Rig(options);
  t.teardown(() => r.stop());
  return r.start();
}
