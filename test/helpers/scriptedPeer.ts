import { SimulatedClock } from '../../core/clock.js';
import type { Connector } from '../../plugin/connection/connector.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import type { PluginRole, PluginRoleOptions } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import type { Message } from '../../protocol/messages.js';
import type { SiPassRecord, SiPassType } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import { duplexPair, type DuplexEnd } from './duplexPair.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** One connection the role opened: the peer's end, and what the role sent on it (decoded). */
export interface PeerConnection {
  end: DuplexEnd;
  /** The role's end (to check it was closed). */
  roleEnd: DuplexEnd;
  received: Message[];
  bytesFromRole: number;
  bytesToRole: number;
}

/**
 * A plugin role connected in memory to a hand-driven peer that plays the SiPass proxy: the test
 * writes exactly the frames it wants (several frames in one write arrive as one chunk) and reads
 * exactly what the role put on the wire. One simulated clock; no socket, no real time.
 */
export class ScriptedPeer {
  readonly clock = new SimulatedClock(0);
  readonly sc = new SecurityCenter();
  readonly role: PluginRole;
  readonly connections: PeerConnection[] = [];
  /** When false the connector never reports 'connect' (a blocked port); the test may do it late. */
  autoConnect = true;

  constructor(options: Omit<PluginRoleOptions, 'clock' | 'connector'> = {}) {
    const connector: Connector = () => {
      const [roleEnd, end] = duplexPair();
      const c: PeerConnection = { end, roleEnd, received: [], bytesFromRole: 0, bytesToRole: 0 };
      const decoder = new FrameDecoder();
      end.on('data', (chunk: Buffer) => {
        c.bytesFromRole += chunk.length;
        c.received.push(...decoder.push(chunk));
      });
      end.on('error', () => {});
      roleEnd.on('error', () => {});
      this.connections.push(c);
      if (this.autoConnect) setImmediate(() => roleEnd.emit('connect'));
      return roleEnd;
    };
    this.role = createPluginRole(this.sc, 'SiPass plugin', { roleId: 'role-peer', backoff: { seed: 1 }, ...options, clock: this.clock, connector });
  }

  get current(): PeerConnection {
    const c = this.connections[this.connections.length - 1];
    if (!c) throw new Error('the role has not dialled yet');
    return c;
  }

  /** Lets in-memory I/O settle (bounded number of event-loop turns). */
  async settle(turns = 20): Promise<void> {
    for (let i = 0; i < turns; i++) await turn();
  }

  /** Writes these messages as one chunk on the current connection. */
  async send(...messages: Message[]): Promise<void> {
    const chunk = Buffer.concat(messages.map(encodeMessage));
    this.current.bytesToRole += chunk.length;
    this.current.end.write(chunk);
    await this.settle();
  }

  /** Messages of type `t` the role sent on the current connection (or on connection `i`). */
  sent<T extends Message['t']>(t: T, i = this.connections.length - 1): Array<Extract<Message, { t: T }>> {
    return (this.connections[i]?.received ?? []).filter((m): m is Extract<Message, { t: T }> => m.t === t);
  }

  /** Apply (host only) and answer hello with a welcome of `epoch` at `seq`: the role is syncing. */
  async connect(epoch = 'life-1', seq = 0): Promise<void> {
    if (this.role.config === null) this.role.apply({ host: '127.0.0.1', port: 5645 });
    await this.settle();
    await this.send({ t: 'welcome', v: 1, server: 'scripted', site: 'site', epoch, seq });
  }

  /** Answers the role's latest syncRequest with a whole full sync of `records`; the role is ready. */
  async fullSync(records: Array<[SiPassType, SiPassRecord]> = []): Promise<void> {
    const request = this.sent('syncRequest').at(-1);
    if (!request) throw new Error('no syncRequest to answer');
    const digest = new SiteDigest();
    for (const [type, r] of records) digest.add(type, r);
    const totals: Partial<Record<SiPassType, number>> = {};
    for (const [type] of records) totals[type] = (totals[type] ?? 0) + 1;
    await this.send({ t: 'syncBegin', id: request.id, totals });
    for (const [type, r] of records) await this.send({ t: 'batch', id: request.id, type, items: [r] });
    await this.send({ t: 'syncEnd', id: request.id, counts: totals, digest: digest.toString() });
  }

  /** Drops the current connection from the peer's side (as a server restart would). */
  async hangUp(): Promise<void> {
    this.current.end.destroy();
    await this.settle();
  }

  /** Drops the connection from the peer's side and lets the role's back-off dial again. */
  async reconnect(epoch = 'life-1', seq = 0): Promise<void> {
    const n = this.connections.length;
    await this.hangUp();
    for (let i = 0; i < 50 && this.connections.length === n; i++) {
      this.clock.advanceToNext();
      await this.settle();
    }
    if (this.connections.length === n) throw new Error('the role did not dial again');
    await this.send({ t: 'welcome', v: 1, server: 'scripted', site: 'site', epoch, seq });
  }

  /** Moves the simulated clock (back-off, heartbeats, timeouts), letting I/O settle around it. */
  async advance(ms: number): Promise<void> {
    this.clock.advanceBy(ms);
    await this.settle();
  }

  stop(): void {
    this.role.stop();
  }
}
