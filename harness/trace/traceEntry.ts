/**
 * A scenario's trace: what happened, in order, on five lanes, each entry at a
 * simulated time (ms from the scenario start). Built by TraceRecorder from the
 * runner's own observers (role notices, the server's wire and events, the
 * Security Center model, the steps); read by the HTML report and show-trace.
 */

/** The role's state lane (R9: what Config Tool shows). */
export interface StateEntry {
  lane: 'state';
  at: number;
  role: string;
  state: string;
  detail: string;
  error?: { code: string; message: string };
}

/** A wire message, either way, with its fields (batches cut to a count and their first item). */
export interface WireEntry {
  lane: 'wire';
  at: number;
  /** toRole: the fake SiPass proxy sent it; toServer: the role sent it. */
  dir: 'toRole' | 'toServer';
  session: number;
  /** The message type (`t`), or `connected` / `closed` for the connection itself. */
  t: string;
  fields: Record<string, unknown>;
  /** Consecutive messages of the same kind folded into this entry (heartbeats, batches of one type). */
  repeat?: number;
  /** The simulated time of the last message folded in. */
  until?: number;
}

/** A change Security Center shows: entity counts, alarm entities, the alarm monitor, events. */
export interface ScEntry {
  lane: 'sc';
  at: number;
  what: 'entities' | 'alarmEntity' | 'monitor' | 'event';
  text: string;
  fields: Record<string, unknown>;
}

/** A fault or network condition applied by a step, or a server limit acting. */
export interface FaultEntry {
  lane: 'fault';
  at: number;
  action: string;
  text: string;
  fields: Record<string, unknown>;
}

/** A step of the scenario: where it starts and how it ended. */
export interface StepEntry {
  lane: 'step';
  at: number;
  index: number;
  kind: string;
  label: string;
  /** file:line of the step in its scenario file. */
  where: string;
  phase: 'start' | 'end';
  status?: 'passed' | 'failed' | 'error';
  error?: { code: string; message: string };
}

/** An `expect:` step checked: what was asked and every way it did not hold. */
export interface ExpectEntry {
  lane: 'expect';
  at: number;
  index: number;
  where: string;
  ok: boolean;
  expected: unknown;
  mismatches: Array<{ what: string; expected: unknown; actual: unknown }>;
}

export type TraceEntry = StateEntry | WireEntry | ScEntry | FaultEntry | StepEntry | ExpectEntry;
export type TraceLane = TraceEntry['lane'];

export const TRACE_FORMAT = 'sipass-testbench-trace';
export const TRACE_VERSION = 1;

/** One scenario's trace as written to a file (`--trace-dir`) and embedded in the HTML report. */
export interface ScenarioTrace {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  scenario: { name: string; file: string; rules: string[]; status: 'passed' | 'failed' | 'error'; seed: number };
  simulatedMs: number;
  entries: TraceEntry[];
  /** Entries left out past the recorder's cap, per lane (the rest of the trace is whole). */
  omitted: Partial<Record<TraceLane, number>>;
}
