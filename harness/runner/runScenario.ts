import { SimulatedClock } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import { TestbenchError, toErrorInfo } from '../../core/testbenchError.js';
import { ApplyRejectedError } from '../../plugin/config/configProblem.js';
import type { ConfigInput } from '../../plugin/config/pluginConfig.js';
import type { PluginRole, PluginRoleOptions } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SiPassServer } from '../../simulator/sipassServer.js';
import type { FaultSpec } from '../../simulator/faults/fault.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import type { Scenario, Step } from '../scenario/scenario.js';
import { checkExpectation } from './checkExpectation.js';
import { runOperatorStep, type OperatorWorld } from './operatorSteps.js';
import { checkInvariants, InvariantWatch } from './invariants.js';
import type { ObserveRun } from './runObserver.js';
import type { Mismatch, ScenarioResult, StepResult } from './results.js';
import { settle } from './settle.js';
import { isTimeLimitError, LimitWatch, resolveTimeLimits, type TimeLimits } from './timeLimits.js';
import { VirtualNetwork } from './virtualNetwork.js';

export interface RunOptions {
  /** Overrides the scenario's seed (back-off jitter, server epoch). */
  seed?: number;
  /** Test-only hooks into the role (e.g. a known bug injected with .provide()). */
  roleOptions?: Omit<PluginRoleOptions, 'clock' | 'connector'>;
  /** Longest simulated `within:` when a step gives none (default 60s). */
  defaultWithinMs?: number;
  /** This run's time limits per scenario (--sim-timeout, --timeout); a scenario's own `limits:` win. */
  limits?: Partial<TimeLimits>;
  /** Test-only: observes the role once created (e.g. the machine-path property records its sub-states). */
  onRole?: (role: PluginRole) => void;
  /** Observes each scenario from the inside (the trace recorder of `run --trace`). */
  observe?: ObserveRun;
}

/**
 * TEST-ONLY: `SIPASS_TESTBENCH_INJECT_BUG=share-recipient-list` injects the
 * known R4 bug the property tests use (PluginRoleOptions.faultInjection), so
 * an emitted counterexample scenario replays its failure from the CLI.
 */
function injectedBug(): Pick<PluginRoleOptions, 'faultInjection'> {
  return process.env.SIPASS_TESTBENCH_INJECT_BUG === 'share-recipient-list' ? { faultInjection: { shareRecipientList: true } } : {};
}

/** A short label for a step, for reports. */
export function stepLabel(s: Step): string {
  if (s.title) return s.title;
  const { kind, at: _at, title: _t, ...rest } = s as Step & Record<string, unknown>;
  if (kind === 'expect') return `expect ${JSON.stringify((rest as { expect: unknown }).expect)}`;
  if (kind === 'wait') return `wait ${formatDuration((rest as { ms: number }).ms)}`;
  const body = JSON.stringify(rest);
  return body === '{}' ? kind : `${kind} ${body}`;
}

/**
 * Runs one scenario: a fake SiPass server on an ephemeral loopback port, a
 * Security Center with the plugin role, one simulated clock for everything
 * that waits, and the steps in order. Real TCP underneath; simulated time
 * moves only when the I/O has settled, so runs replay exactly.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioResult> {
  const wallStart = Date.now();
  const limits = new LimitWatch(resolveTimeLimits(scenario.limits, options.limits));
  const seed = options.seed ?? scenario.seed;
  const clock = new SimulatedClock(0);
  const observer = options.observe?.(scenario, clock, seed);
  const net = new VirtualNetwork([scenario.server.host, ...scenario.server.names], scenario.server.port);
  const makeServer = (population: PopulationSpec, life: number): SiPassServer => {
    const s = new SiPassServer({
      population,
      clock,
      host: '127.0.0.1',
      port: 0,
      batchSize: scenario.server.batchSize,
      syncRate: scenario.server.syncRate,
      epoch: `s${seed}-${life}`,
      name: `fake SiPass (${scenario.name})`,
      ...(scenario.server.sdkVersion !== undefined ? { sdkVersion: scenario.server.sdkVersion } : {}),
      ...(scenario.server.diagnosticPort !== undefined ? { diagnosticPort: scenario.server.diagnosticPort } : {}),
      ...(scenario.server.diagnosticWebPort !== undefined ? { diagnosticWebPort: scenario.server.diagnosticWebPort } : {}),
    });
    observer?.serverCreated(s);
    return s;
  };
  let lives = 1;
  let server = makeServer(scenario.population, lives);
  /** Faults live on the wire: they stay in force across server restarts until cleared. */
  let faults: FaultSpec[] = [];
  const listen = async (): Promise<void> => {
    const { port } = await server.listen(0, '127.0.0.1');
    net.realPort = port;
  };
  const sc = new SecurityCenter();
  observer?.securityCenterCreated(sc);
  const result: ScenarioResult = {
    file: scenario.file,
    name: scenario.name,
    rules: scenario.rules,
    status: 'passed',
    steps: [],
    invariantViolations: [],
    wallMs: 0,
    simulatedMs: 0,
  };
  let role: PluginRole | null = null;
  /** SC ids remembered by `entity: { rememberAs: label }` (compared by `sameIdAs: label`). */
  const memory = new Map<string, string>();
  let watch: InvariantWatch | null = null;
  try {
    await listen();
    sc.populate(scenario.securityCenter);
    if (scenario.securityCenter.role !== null) {
      role = createPluginRole(sc, scenario.securityCenter.role, {
        ...injectedBug(),
        ...options.roleOptions,
        clock,
        connector: net.connector,
        roleId: `role-${seed}`,
        backoff: { seed, ...options.roleOptions?.backoff },
      });
      watch = new InvariantWatch(scenario.invariants, role, () => server, clock, result.invariantViolations);
      options.onRole?.(role);
      observer?.roleCreated(role);
    }
    const defaults = { host: scenario.server.host, port: scenario.server.port };
    if (scenario.plugin && role) {
      role.apply({ ...defaults, ...scenario.plugin });
    }
    await settle(server, role, net);

    const advance = async (ms: number): Promise<void> => {
      const target = clock.now() + ms;
      limits.simulated(target);
      for (;;) {
        limits.wall();
        const next = clock.nextDue();
        if (next === undefined || next > target) {
          clock.advanceTo(target);
          await settle(server, role, net);
          return;
        }
        clock.advanceTo(next);
        await settle(server, role, net);
      }
    };

    for (const [index, step] of scenario.steps.entries()) {
      limits.wall();
      const sr: StepResult = { index, label: stepLabel(step), at: step.at, status: 'passed', mismatches: [], simulatedAt: 0 };
      result.steps.push(sr);
      observer?.stepStarted(step, index);
      try {
        // Issue 12 steps (R13-R15, directory and role lifecycle) and `refused:`.
        const operatorWorld: OperatorWorld = {
          sc,
          role: () => role,
          server: () => server,
          restartProxy: async () => {
            await server.stop();
            net.realPort = null;
            await listen();
          },
          roleDeleted: () => {
            watch?.stop();
            watch = null;
            role = null;
          },
        };
        if (!(await runOperatorStep(step, operatorWorld, sr))) switch (step.kind) {
          case 'apply': {
            const name = step.role ?? role?.name ?? scenario.securityCenter.role ?? 'SiPass plugin';
            const input: ConfigInput = step.input;
            try {
              sc.configureRole(name, input);
              if (step.rejects) sr.mismatches.push({ what: 'Apply', expected: `rejected (${step.rejects.join(', ')})`, actual: 'accepted' });
            } catch (e) {
              const fields = e instanceof ApplyRejectedError ? e.problems.map((p) => p.field) : e instanceof TestbenchError && e.code === 'ROLE_NOT_FOUND' ? ['role'] : null;
              if (!fields) throw e;
              const message = (e as Error).message;
              if (!step.rejects) sr.mismatches.push({ what: 'Apply', expected: 'accepted', actual: message });
              else {
                const want = [...new Set(step.rejects)].sort();
                const got = [...new Set(fields)].sort();
                if (JSON.stringify(want) !== JSON.stringify(got)) sr.mismatches.push({ what: 'Apply rejected fields', expected: want, actual: `${got.join(', ')} — ${message}` });
                // `problems:` the text of the rejection, not only the field names.
                for (const text of step.problems ?? []) if (!message.includes(text)) sr.mismatches.push({ what: 'Apply rejection names the problem', expected: text, actual: message });
              }
            }
            break;
          }
          case 'manualSync':
            requireRole(role).manualSync();
            break;
          case 'editAlarm':
            if (step.addRecipient) sc.addAlarmRecipient(step.alarm, step.addRecipient);
            if (step.removeRecipient) sc.removeAlarmRecipient(step.alarm, step.removeRecipient);
            if (step.addPartition) sc.addAlarmPartition(step.alarm, step.addPartition);
            if (step.removePartition) sc.removeAlarmPartition(step.alarm, step.removePartition);
            break;
          case 'acknowledge':
            requireRole(role).acknowledgeAlarm(step.occurrence, step.user);
            break;
          case 'createUser':
            sc.directory.addUser(step.name);
            break;
          case 'createGroup':
            sc.directory.addGroup(step.name, step.members);
            break;
          case 'createPartition':
            sc.directory.addPartition(step.name);
            break;
          case 'createAlarm':
            sc.alarms.createByOperator(step.name, step.recipients, step.partitions);
            break;
          case 'raiseAlarm':
            server.raiseAlarm(resolveAlarmClass(server, step.alarmClass), step.occurrence);
            break;
          case 'sipassAcknowledge':
            server.acknowledgeAlarm(step.occurrence, step.by);
            break;
          case 'clearAlarm':
            server.clearAlarm(step.occurrence);
            break;
          case 'fireEvent':
            server.fireEvent(resolveEventType(server, step.eventType), step.source, undefined, step.sourceEntity);
            break;
          case 'addEntity':
            server.addEntity(step.type, step.entity);
            break;
          case 'updateEntity':
            server.updateEntity(step.type, step.id, step.fields);
            break;
          case 'deleteEntity':
            server.deleteEntity(step.type, step.id);
            break;
          case 'serverPort':
            // R3: the SiPass side listens on another port; the service restarts.
            await server.stop();
            net.realPort = null;
            net.logicalPort = step.port;
            await listen();
            break;
          case 'stopServer':
            await server.stop();
            net.realPort = null;
            break;
          case 'startServer':
            await listen();
            break;
          case 'restartServer':
            await server.stop();
            net.realPort = null;
            if (step.population) {
              // A new server life with a changed site.
              server = makeServer(step.population, ++lives);
              for (const f of faults) server.addFault(f);
              watch?.serverChanged();
            }
            await listen();
            break;
          case 'blockPort':
            net.blocked = true;
            server.block();
            break;
          case 'unblockPort':
            net.blocked = false;
            server.unblock();
            break;
          case 'resetConnections':
            server.resetConnections();
            break;
          case 'fault': {
            // Seeded: the step's seed, else one derived from the run's seed and the step, so a run replays.
            const spec: FaultSpec = { ...step.fault, seed: step.fault.seed ?? (seed * 1000 + index) >>> 0 };
            faults.push(spec);
            server.addFault(spec);
            break;
          }
          case 'removeFault':
            faults = faults.filter((f) => f.name !== step.name);
            server.removeFault(step.name);
            break;
          case 'clearFaults':
            faults = [];
            server.clearFaults();
            break;
          case 'wait':
            await settle(server, role, net);
            await advance(step.ms);
            break;
          case 'expect': {
            await settle(server, role, net);
            const within = step.expect.within ?? 0;
            const deadline = clock.now() + within;
            let mismatches: Mismatch[] = checkExpectation({ sc, role, server, memory }, step.expect);
            // `within:` lets simulated time run until the expectation holds or the deadline passes.
            while (mismatches.length > 0 && clock.now() < deadline) {
              limits.wall();
              const next = clock.nextDue();
              // Met early, a long `within:` costs nothing; only moving past the limit trips it.
              limits.simulated(next === undefined || next > deadline ? deadline : next);
              clock.advanceTo(next === undefined || next > deadline ? deadline : next);
              await settle(server, role, net);
              mismatches = checkExpectation({ sc, role, server, memory }, step.expect);
            }
            sr.mismatches.push(...mismatches);
            break;
          }
        }
        await settle(server, role, net);
        if (role) checkInvariants(scenario.invariants, role, sc, clock.now(), result.invariantViolations, step.kind);
      } catch (e) {
        const info = toErrorInfo(e, clock.now());
        sr.status = 'error';
        sr.error = { code: info.code, message: info.message };
        sr.simulatedAt = clock.now();
        // Out of time: the scenario stops here (its result names the limit), later steps are not run.
        if (isTimeLimitError(e)) {
          result.error = sr.error;
          observer?.stepFinished(step, sr);
          break;
        }
      }
      if (sr.status !== 'error' && sr.mismatches.length > 0) sr.status = 'failed';
      sr.simulatedAt = clock.now();
      observer?.stepFinished(step, sr);
    }
  } catch (e) {
    const info = toErrorInfo(e, clock.now());
    result.error = { code: info.code, message: info.message };
  } finally {
    watch?.stop();
    role?.stop();
    await server.stop();
  }
  result.simulatedMs = clock.now();
  result.wallMs = Date.now() - wallStart;
  if (result.error || result.steps.some((s) => s.status === 'error')) result.status = 'error';
  else if (result.steps.some((s) => s.status === 'failed') || result.invariantViolations.length > 0) result.status = 'failed';
  observer?.finished(result);
  return result;
}

function requireRole(role: PluginRole | null): PluginRole {
  if (!role) throw new TestbenchError('ROLE_NOT_FOUND', 'this scenario has no plugin role (securityCenter.role is null)');
  return role;
}

/** Alarm classes and event types can be named by id or by name in steps. */
function resolveAlarmClass(server: SiPassServer, ref: string): string {
  if (server.site.has('alarmClasses', ref)) return ref;
  for (const r of server.site.entities('alarmClasses')) if (r.name === ref) return r.id;
  return ref;
}

function resolveEventType(server: SiPassServer, ref: string): string {
  if (server.site.has('eventTypes', ref)) return ref;
  for (const r of server.site.entities('eventTypes')) if (r.name === ref) return r.id;
  return ref;
}
