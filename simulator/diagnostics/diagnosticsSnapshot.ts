import type { SiPassType } from '../../protocol/sipassTypes.js';

/**
 * What the diagnostic page shows, as one JSON object pushed to the browser.
 * Everything here is what the server knows: a role's state and progress are
 * seen from the server's side of the wire (SPEC R15: the proxy's diagnostic
 * web interface), never read from the role.
 */

/**
 * A connection's state as the server sees it: `handshake` (waiting for hello),
 * `connected` (welcome sent, no sync asked yet), `syncing` (a full sync is
 * streaming), `ready` (the first full sync went out and the live stream flows),
 * `closed`.
 */
export type RoleViewState = 'handshake' | 'connected' | 'syncing' | 'ready' | 'closed';

export interface TypeProgressView {
  type: SiPassType;
  /** Entities the server has handed to the connection. */
  done: number;
  total: number;
  state: 'pending' | 'streaming' | 'done';
  /** Entities per second while this type streamed; null before its first batch. */
  rate: number | null;
  /** Milliseconds left for this type at its rate; null when unknown or done. */
  etaMs: number | null;
}

export interface SyncView {
  id: number;
  mode: 'full' | 'manual';
  done: number;
  total: number;
  /** Entities per second since the sync began. */
  rate: number | null;
  etaMs: number | null;
  /** The sync's syncEnd went out. */
  ended: boolean;
  /** Wall time the sync took (or has taken so far), ms. */
  elapsedMs: number;
  types: TypeProgressView[];
}

export interface RoleView {
  session: number;
  roleName: string;
  roleId: string;
  remote: string;
  state: RoleViewState;
  sync: SyncView | null;
  lastError: string | null;
  faults: string[];
  ackedSeq: number;
  framesOut: number;
  bytesOut: number;
  /** Why the connection closed (closed roles only). */
  closeReason: string | null;
  closedAt: number | null;
}

export interface WireLine {
  at: number;
  session: number;
  /** `out`: server -> role (as handed to the connection, before faults); `in`: role -> server. */
  direction: 'in' | 'out';
  t: string;
  text: string;
}

export interface LiveLine {
  at: number;
  seq: number;
  t: string;
  text: string;
}

export interface DiagnosticsSnapshot {
  at: number;
  server: {
    name: string;
    host: string;
    port: number;
    listening: boolean;
    blocked: boolean;
    epoch: string;
    seq: number;
    connections: number;
    framesOut: number;
    bytesOut: number;
    bytesIn: number;
    syncRate: number;
  };
  site: {
    name: string;
    seed: number;
    total: number;
    totals: Record<string, number>;
    activeAlarms: number;
  };
  roles: RoleView[];
  /** Recently closed connections, newest first. */
  closed: RoleView[];
  /** The faults in force (removeFault takes the name). */
  faults: Array<{ name: string; description: string }>;
  /** The last wire messages, oldest first. */
  wire: WireLine[];
  /** The last alarms, events and entity changes SiPass published, oldest first. */
  live: LiveLine[];
}

/** What the page's controls can choose from; sent once per page load. */
export interface DiagnosticsChoices {
  faults: Array<{ name: string; usage: string; summary: string }>;
  alarmClasses: string[];
  eventTypes: string[];
}
