import type { Clock } from '../../core/clock.js';
import type { PluginRole } from '../../plugin/pluginRole.js';
import type { RoleNotice } from '../../plugin/roleTypes.js';
import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { ServerEvent, SiPassServer, WireEvent } from '../../simulator/sipassServer.js';
import type { ScenarioResult, StepResult } from '../runner/results.js';
import type { RunObserver } from '../runner/runObserver.js';
import { stepLabel } from '../runner/runScenario.js';
import type { Scenario, Step } from '../scenario/scenario.js';
import { ScWatch } from './scWatch.js';
import { TRACE_FORMAT, TRACE_VERSION, type ScenarioTrace, type TraceEntry, type TraceLane, type WireEntry } from './traceEntry.js';
import { wireFields } from './wireFields.js';

/** Entries kept per scenario before wire messages are left out (counted); other lanes always stay. */
export const DEFAULT_MAX_ENTRIES = 3000;

/** Steps that change the network or the SiPass service: the trace's fault lane. */
const FAULT_STEPS = new Set(['fault', 'removeFault', 'clearFaults', 'blockPort', 'unblockPort', 'resetConnections', 'stopServer', 'startServer', 'restartServer', 'serverPort', 'restartProxy']);
const HEARTBEAT = new Set(['ping', 'pong']);

const where = (s: Step): string => `${s.at.file}:${s.at.line}`;

/**
 * Records one scenario run as a ScenarioTrace (harness/trace/traceEntry.ts). It is the run's
 * RunObserver: it listens to each server life's `wire` and `event`, each role's `notice`, and
 * compares the Security Center model at every hook (ScWatch). Heartbeats and the batches of one
 * type fold into one entry each, so an hour of simulated pings is one line, not 720.
 */
export class TraceRecorder implements RunObserver {
  private readonly entries: TraceEntry[] = [];
  private readonly omitted: Partial<Record<TraceLane, number>> = {};
  private sc: ScWatch | undefined;
  private securityCenter: SecurityCenter | undefined;
  private readonly roles = new WeakSet<object>();
  private readonly servers: Array<{ server: SiPassServer; off: () => void }> = [];
  private trace: ScenarioTrace | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly maxEntries = DEFAULT_MAX_ENTRIES,
    /** Told the trace once the scenario's result is final. */
    private readonly onTrace?: (trace: ScenarioTrace) => void,
  ) {}

  private now(): number {
    return this.clock.now();
  }

  private push(e: TraceEntry): void {
    if (this.entries.length >= this.maxEntries && e.lane === 'wire') {
      this.omitted.wire = (this.omitted.wire ?? 0) + 1;
      return;
    }
    this.entries.push(e);
  }

  /** Security Center changes since the last look, then any role created meanwhile. */
  private look(): void {
    if (this.sc) for (const e of this.sc.changes(this.now())) this.push(e);
    for (const r of this.securityCenter?.listRoles() ?? []) {
      if (!this.roles.has(r) && 'on' in r) this.roleCreated(r as PluginRole);
    }
  }

  serverCreated(server: SiPassServer): void {
    const onWire = (w: WireEvent): void => this.wire(w);
    const onEvent = (e: ServerEvent): void => this.serverEvent(e);
    server.on('wire', onWire);
    server.on('event', onEvent);
    this.servers.push({ server, off: () => (server.off('wire', onWire), server.off('event', onEvent)) });
  }

  securityCenterCreated(sc: SecurityCenter): void {
    this.securityCenter = sc;
    this.sc = new ScWatch(sc);
  }

  roleCreated(role: PluginRole): void {
    if (this.roles.has(role)) return;
    this.roles.add(role);
    const s = role.snapshot();
    this.push({ lane: 'state', at: this.now(), role: role.name, state: s.state, detail: s.detail });
    role.on('notice', (n: RoleNotice) => this.notice(role.name, n));
  }

  private notice(role: string, n: RoleNotice): void {
    this.look();
    if (n.kind === 'state') {
      this.push({ lane: 'state', at: this.now(), role, state: n.state, detail: n.detail, ...(n.error ? { error: { code: n.error.code, message: n.error.message } } : {}) });
    }
  }

  private wire(w: WireEvent): void {
    this.look();
    const m = w.message;
    const dir = w.direction === 'out' ? 'toRole' : 'toServer';
    const at = this.now();
    const last = this.entries[this.entries.length - 1];
    if (last?.lane === 'wire' && last.session === w.session && this.folds(last, m.t, dir, m)) {
      last.repeat = (last.repeat ?? 1) + 1;
      last.until = at;
      if (m.t === 'batch') last.fields.items = (last.fields.items as number) + m.items.length;
      else if (HEARTBEAT.has(m.t)) last.t = 'heartbeat';
      return;
    }
    this.push({ lane: 'wire', at, dir, session: w.session, t: m.t, fields: wireFields(m) });
  }

  private folds(last: WireEntry, t: string, dir: WireEntry['dir'], m: WireEvent['message']): boolean {
    if (HEARTBEAT.has(t)) return last.t === 'heartbeat' || HEARTBEAT.has(last.t);
    return t === 'batch' && last.t === 'batch' && last.dir === dir && m.t === 'batch' && last.fields.type === m.type && last.fields.id === m.id;
  }

  private serverEvent(e: ServerEvent): void {
    const at = this.now();
    if (e.kind === 'connection') this.push({ lane: 'wire', at, dir: 'toServer', session: e.session, t: 'connected', fields: { remote: e.remote } });
    else if (e.kind === 'closed') this.push({ lane: 'wire', at, dir: 'toRole', session: e.session, t: 'closed', fields: { reason: e.reason } });
    else if (e.kind === 'limit') this.push({ lane: 'fault', at, action: `limit ${e.limit}`, text: e.message, fields: { session: e.session } });
    else if (e.kind === 'refused') this.push({ lane: 'fault', at, action: 'refused', text: 'connection refused by the server', fields: { ...e } });
  }

  stepStarted(step: Step, index: number): void {
    this.look();
    const at = this.now();
    this.push({ lane: 'step', at, index, kind: step.kind, label: stepLabel(step), where: where(step), phase: 'start' });
    if (FAULT_STEPS.has(step.kind)) {
      const { kind, at: _at, title: _title, ...fields } = step as Step & Record<string, unknown>;
      this.push({ lane: 'fault', at, action: kind, text: stepLabel(step), fields });
    }
  }

  stepFinished(step: Step, r: StepResult): void {
    this.look();
    const at = this.now();
    if (step.kind === 'expect') {
      this.push({ lane: 'expect', at, index: r.index, where: where(step), ok: r.mismatches.length === 0 && r.status !== 'error', expected: step.expect, mismatches: r.mismatches });
    } else if (r.mismatches.length > 0) {
      // Steps with their own checks (an Apply's `rejects:`, `refused:`): checked like expectations.
      this.push({ lane: 'expect', at, index: r.index, where: where(step), ok: false, expected: stepLabel(step), mismatches: r.mismatches });
    }
    this.push({ lane: 'step', at, index: r.index, kind: step.kind, label: r.label, where: where(step), phase: 'end', status: r.status, ...(r.error ? { error: r.error } : {}) });
  }

  finished(result: ScenarioResult): void {
    this.look();
    for (const s of this.servers) s.off();
    this.trace = {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      scenario: { name: this.scenario.name, file: this.scenario.file, rules: [...this.scenario.rules], status: result.status, seed: this.seed },
      simulatedMs: result.simulatedMs,
      entries: this.entries,
      omitted: this.omitted,
    };
    this.onTrace?.(this.trace);
  }

  /** The finished trace (undefined until the run finished). */
  result(): ScenarioTrace | undefined {
    return this.trace;
  }
}
