import type { SiPassRecord, SiPassType } from './sipassTypes.js';

/**
 * The wire contract (docs/protocol.md). Every frame carries one JSON object
 * whose `t` names the message. R = role -> server, S = server -> role.
 */

/** R: first frame of every connection. */
export interface Hello {
  t: 'hello';
  v: number;
  roleId: string;
  roleName: string;
  /** The server life (welcome.epoch) the role last talked to; '' for a role that never connected. */
  epoch: string;
  /** Highest live sequence number the role has processed in that epoch: alarms and events after it are replayed. */
  lastSeq: number;
  /** Batch encodings the role decodes besides `items` (`"packed"`, protocol/packedBatch.ts); absent: items only. */
  batchEncodings?: string[];
}

/** S: answer to hello. */
export interface Welcome {
  t: 'welcome';
  v: number;
  server: string;
  site: string;
  /** Identifies this server life: sequence numbers restart with a new epoch. */
  epoch: string;
  /** The live sequence number the server is at. */
  seq: number;
  /** R15: the Security Center SDK version the proxy is built with (must match Security Center's). */
  sdk?: string;
  /** R15: the proxy's diagnostic server and web interface ports. */
  diagnosticPort?: number;
  diagnosticWebPort?: number;
}

/** R: asks for a full sync of the listed types. */
export interface SyncRequest {
  t: 'syncRequest';
  id: number;
  mode: 'full' | 'manual';
  types: SiPassType[];
}

/** S: a full sync starts; per-type totals so the role can show progress. */
export interface SyncBegin {
  t: 'syncBegin';
  id: number;
  totals: Partial<Record<SiPassType, number>>;
}

/** S: a batch of entities of one type. */
export interface Batch {
  t: 'batch';
  id: number;
  type: SiPassType;
  items: SiPassRecord[];
}

/** S: a full sync ends; counts per type and the order-independent digest of what was sent. */
export interface SyncEnd {
  t: 'syncEnd';
  id: number;
  counts: Partial<Record<SiPassType, number>>;
  digest: string;
}

/** S: the alarms still active in SiPass, sent after the first full sync of every connection (R10). */
export interface ActiveAlarms {
  t: 'activeAlarms';
  occurrences: AlarmOccurrence[];
}

export interface AlarmOccurrence {
  occurrenceId: string;
  alarmClassId: string;
  at: number;
  acknowledged: boolean;
  /** R10: who acknowledged it in SiPass (or in SC), kept across an offline period. */
  acknowledgedBy?: string;
}

/** S, live: an entity was added, updated or deleted in SiPass (real-time sync). */
export interface Change {
  t: 'change';
  seq: number;
  op: 'add' | 'update' | 'delete';
  type: SiPassType;
  id: string;
  entity?: SiPassRecord;
}

/** S, live: an alarm was raised in SiPass. */
export interface AlarmRaised {
  t: 'alarm';
  seq: number;
  occurrenceId: string;
  alarmClassId: string;
  at: number;
}

/** S, live: an alarm was acknowledged in SiPass (R10: both ways). */
export interface AlarmAcknowledged {
  t: 'alarmAck';
  seq: number;
  occurrenceId: string;
  by: string;
}

/** S, live: an alarm was cleared (no longer active) in SiPass. */
export interface AlarmCleared {
  t: 'alarmClear';
  seq: number;
  occurrenceId: string;
}

/** S, live: a SiPass event (R11). */
export interface EventFired {
  t: 'event';
  seq: number;
  eventId: string;
  eventTypeId: string;
  at: number;
  source: string;
  /** R11: the SiPass entity the event is about (area, cardholder, credential, doorset, bank or unit), when known. */
  sourceType?: SiPassType;
  sourceId?: string;
}

/** R: cumulative acknowledgement of live messages up to `seq`. */
export interface LiveAck {
  t: 'ack';
  seq: number;
}

/** R: an alarm acknowledged by an operator in Security Center, sent to SiPass (R10). */
export interface ScAcknowledge {
  t: 'scAck';
  requestId: string;
  occurrenceId: string;
  user: string;
}

/** S: SiPass took (or refused) an SC acknowledgement. */
export interface ScAcknowledgeResult {
  t: 'scAckResult';
  requestId: string;
  ok: boolean;
  reason?: string;
}

/** R13: a SiPass manual-override command (the catalog is plugin/commands/commandCatalog.ts). */
export type CommandAction = 'allowAccess' | 'block' | 'unblock' | 'buzzer' | 'arm' | 'disarm' | 'pulse';
/** R13: an output's pulse pattern in SiPass. */
export type PulsePattern = 'fast' | 'single' | 'slow' | 'toggle';

/** R: an operator's manual override on a SiPass entity, sent only while the role is ready (R13). */
export interface CommandRequest {
  t: 'command';
  requestId: string;
  entityType: SiPassType;
  entityId: string;
  action: CommandAction;
  /** The Security Center user who ran it (SiPass writes it to its activity trail). */
  operator: string;
  /** buzzer: the doorset's reader, "A" or "B". */
  reader?: 'A' | 'B';
  /** pulse: the unit's output number and pattern. */
  output?: number;
  pattern?: PulsePattern;
}

/** S: SiPass executed (ok) or refused a command; `state` is the entity's fields it changed. */
export interface CommandResult {
  t: 'commandResult';
  requestId: string;
  ok: boolean;
  reason?: string;
}

/** Either side: heartbeat. */
export interface Ping {
  t: 'ping';
  n: number;
}

export interface Pong {
  t: 'pong';
  n: number;
}

/** Either side: a problem; `fatal` means the sender closes the connection after it. */
export interface ErrorMessage {
  t: 'error';
  code: string;
  message: string;
  fatal: boolean;
}

export type LiveMessage = Change | AlarmRaised | AlarmAcknowledged | AlarmCleared | EventFired;

export type Message =
  | Hello
  | Welcome
  | SyncRequest
  | SyncBegin
  | Batch
  | SyncEnd
  | ActiveAlarms
  | Change
  | AlarmRaised
  | AlarmAcknowledged
  | AlarmCleared
  | EventFired
  | LiveAck
  | ScAcknowledge
  | ScAcknowledgeResult
  | CommandRequest
  | CommandResult
  | Ping
  | Pong
  | ErrorMessage;

export type MessageType = Message['t'];

export const MESSAGE_TYPES: readonly MessageType[] = [
  'hello',
  'welcome',
  'syncRequest',
  'syncBegin',
  'batch',
  'syncEnd',
  'activeAlarms',
  'change',
  'alarm',
  'alarmAck',
  'alarmClear',
  'event',
  'ack',
  'scAck',
  'scAckResult',
  'command',
  'commandResult',
  'ping',
  'pong',
  'error',
];
