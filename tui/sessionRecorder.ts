/**
 * Recording in the dashboard (issue 15 item 3): what the user does becomes
 * scenario steps (docs/scenarios.md), the wall-time gaps between actions
 * become `wait` steps (simulated durations), and before each action and at
 * the end an `expect` of the state observed then: role state, entity counts,
 * the Properties tab once applied, and for each alarm raised while recording
 * its recipients, partitions and monitor entry. A replay then fails, with the
 * runner's expected/actual, when the behaviour it captured changes. No blessed.
 */
import type { ConfigInput } from '../plugin/config/pluginConfig.js';
import type { Expectation, Scenario, Step, StepAction } from '../harness/scenario/scenario.js';
import type { TuiSession } from './startDashboard.js';

/** Generous: the replay may be slower or faster than the dashboard was; `within` lets simulated time run until it holds. */
const WITHIN_MS = 30_000;
/** Gaps shorter than this are no wait at all; the rest are rounded to it. */
const GRAIN_MS = 100;

export class SessionRecorder {
  private steps: Step[] = [];
  private last = 0;
  private startedAt = 0;
  private recording = false;
  private plugin: ConfigInput | null = null;
  private serverPort = 0;
  private readonly alarmClasses = new Set<string>();
  private readonly occurrences = new Set<string>();
  private applied = false;
  private pending: { at: number; steps: StepAction[] } | null = null;
  /** The alarm and monitor expectations last written, by key: one is written again only once it changed. */
  private readonly written = new Map<string, string>();

  constructor(
    private readonly session: TuiSession,
    private readonly now: () => number = Date.now,
  ) {}

  get active(): boolean {
    return this.recording;
  }

  /** How many actions are recorded so far. */
  get actions(): number {
    return this.steps.filter((s) => s.kind !== 'wait' && s.kind !== 'expect').length;
  }

  start(): void {
    const { role, server, target } = this.session;
    this.recording = true;
    this.steps = [];
    this.alarmClasses.clear();
    this.occurrences.clear();
    this.applied = false;
    this.startedAt = this.now();
    this.last = this.startedAt;
    this.pending = null;
    this.written.clear();
    const c = role.config;
    // The replay starts where the recording started: the Properties tab as applied then, the server on the port it had.
    this.plugin = c ? { host: c.host, port: c.port, alarmRecipients: [...c.alarmRecipients], alarmPartitions: [...c.alarmPartitions], credentialSync: c.credentialSync } : null;
    this.serverPort = server?.port ?? target.port;
    for (const step of this.observation()) this.push(step);
  }

  /**
   * Called before the dashboard carries out a key: the wait since the last
   * action and the state observed now, kept until the action is recorded
   * (a key that does nothing records nothing).
   */
  checkpoint(): void {
    if (!this.recording) return;
    const at = this.now();
    this.pending = { at, steps: [...this.waitStep(at), ...this.observation()] };
  }

  /** One user action, done: the checkpoint before it (or one taken now), then the action. */
  record(action: StepAction): void {
    if (!this.recording) return;
    const before = this.pending ?? { at: this.now(), steps: [...this.waitStep(this.now()), ...this.observation()] };
    this.pending = null;
    this.last = before.at;
    for (const s of before.steps) this.push(s);
    this.push(action);
    if (action.kind === 'raiseAlarm') {
      this.alarmClasses.add(action.alarmClass);
      if (action.occurrence) this.occurrences.add(action.occurrence);
    }
    if (action.kind === 'apply') this.applied = true;
  }

  /** Ends the recording: a last wait and expect, and the scenario that replays it. */
  stop(): Scenario {
    const at = this.now();
    for (const step of [...this.waitStep(at), ...this.observation()]) this.push(step);
    this.recording = false;
    const s = this.session.scenario;
    const when = new Date(this.startedAt).toISOString();
    return {
      ...s,
      name: `Recorded in the dashboard at ${when}`,
      description: `Recorded with \`sipass-testbench tui\` (R to start and stop) on "${s.name}" (${s.file}): ${this.actions} actions, the waits between them, and the state observed before each.`,
      rules: [],
      tags: ['recorded'],
      server: { ...s.server, port: this.serverPort },
      plugin: this.plugin,
      steps: this.steps,
    };
  }

  private waitStep(at: number): StepAction[] {
    const gap = Math.round((at - this.last) / GRAIN_MS) * GRAIN_MS;
    return gap > 0 ? [{ kind: 'wait', ms: gap }] : [];
  }

  /**
   * The state observed now. While the role is connecting or syncing the moment
   * is a race between its timers and the user's hands: nothing is expected
   * then (the next settled observation covers it).
   */
  private observation(): StepAction[] {
    const out: StepAction[] = [];
    const { role, sc } = this.session;
    const snap = role.snapshot();
    if (snap.state === 'connecting' || snap.state === 'syncing') return out;
    const counts: Expectation['counts'] = {};
    for (const [type, n] of Object.entries(snap.counts)) if (n > 0) counts[type as keyof typeof counts] = n;
    const expect: Expectation = { state: snap.state, within: WITHIN_MS, counts };
    if (this.applied && snap.config) expect.config = { host: snap.config.host, port: snap.config.port, alarmRecipients: snap.config.alarmRecipients, alarmPartitions: snap.config.alarmPartitions, credentialSync: snap.config.credentialSync };
    out.push({ kind: 'expect', expect });
    // One expectation per alarm raised and per occurrence: each its own step, so a difference names it.
    for (const id of this.alarmClasses) {
      const a = sc.alarms.list().find((x) => x.sipassId === id);
      if (a) this.once(out, `alarm ${id}`, { alarm: { alarm: id, recipients: [...a.recipients], partitions: [...a.partitions] } });
    }
    for (const occ of this.occurrences) {
      const hits = sc.monitor.list().filter((m) => m.occurrenceId === occ);
      const lastHit = hits[hits.length - 1];
      if (lastHit) this.once(out, `monitor ${occ}`, { monitor: { occurrence: occ, count: hits.length, notified: [...lastHit.notified], acknowledged: lastHit.acknowledged !== null } });
    }
    return out;
  }

  private once(out: StepAction[], key: string, expect: Expectation): void {
    const text = JSON.stringify(expect);
    if (this.written.get(key) === text) return;
    this.written.set(key, text);
    out.push({ kind: 'expect', expect: { within: WITHIN_MS, ...expect } });
  }

  private push(action: StepAction): void {
    this.steps.push({ ...action, at: { file: this.session.scenario.file, line: 0, column: 0 } });
  }
}
