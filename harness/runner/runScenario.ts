import { SimulatedClock } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import { TestbenchError, toErrorInfo } from '../../core/testbenchError.js';
import { ApplyRejectedError } from '../../plugin/config/configProblem.js';
import type { ConfigInput } from '../../plugin/config/pluginConfig.js';
import type { PluginRole, PluginRoleOptions } from '../../plugin/pluginRole.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SiPassServer } from '../../simulator/sipassServer.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import { MAIN_SERVER, type Scenario, type ServerSpec, type Step } from '../scenario/scenario.js';
import { checkExpectation, type World } from './checkExpectation.js';
import { runOperatorStep, type OperatorWorld } from './operatorSteps.js';
import { checkInvariants, InvariantWatch } from './invariants.js';
import type { ObserveRun } from './runObserver.js';
import type { Mismatch, ScenarioResult, StepResult } from './results.js';
import { ServerHost } from './serverHost.js';
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
  const net = new VirtualNetwork([scenario.server.host, ...scenario.server.names], scenario.server.port, MAIN_SERVER);
  /** Another server's epochs and name say which it is; the main one's stay as they were (runs replay). */
  const maker =
    (spec: ServerSpec, name: string) =>
    (population: PopulationSpec, life: number): SiPassServer => {
      const s = new SiPassServer({
        population,
        clock,
        host: '127.0.0.1',
        port: 0,
        batchSize: spec.batchSize,
        syncRate: spec.syncRate,
        epoch: name === MAIN_SERVER ? `s${seed}-${life}` : `s${seed}-${name}-${life}`,
        name: name === MAIN_SERVER ? `fake SiPass (${scenario.name})` : `fake SiPass ${name} (${scenario.name})`,
        ...(spec.sdkVersion !== undefined ? { sdkVersion: spec.sdkVersion } : {}),
        ...(spec.diagnosticPort !== undefined ? { diagnosticPort: spec.diagnosticPort } : {}),
        ...(spec.diagnosticWebPort !== undefined ? { diagnosticWebPort: spec.diagnosticWebPort } : {}),
      });
      observer?.serverCreated(s);
      return s;
    };
  const hosts = new Map<string, ServerHost>([[MAIN_SERVER, new ServerHost(MAIN_SERVER, scenario.population, net.main, maker(scenario.server, MAIN_SERVER))]]);
  for (const [name, spec] of Object.entries(scenario.servers ?? {})) {
    hosts.set(name, new ServerHost(name, spec.population, net.add(name, [spec.host, ...spec.names], spec.port), maker(spec, name)));
  }
  const main = hosts.get(MAIN_SERVER) as ServerHost;
  const hostOf = (name: string | undefined): ServerHost => {
    const h = hosts.get(name ?? MAIN_SERVER);
    if (!h) throw new TestbenchError('SCENARIO_BAD_STEP', `no server "${name ?? MAIN_SERVER}" in this scenario`);
    return h;
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
  /** Every plugin role by name, the scenario's first; a deleted one is null. */
  const roles = new Map<string, PluginRole | null>();
  const mainRoleName = scenario.securityCenter.role;
  const mainRole = (): PluginRole | null => (mainRoleName === null ? null : (roles.get(mainRoleName) ?? null));
  const roleOf = (name: string | undefined): PluginRole | null => (name === undefined ? mainRole() : (roles.get(name) ?? null));
  /** SC ids remembered by `entity: { rememberAs: label }` (compared by `sameIdAs: label`). */
  const memory = new Map<string, string>();
  const watches = new Map<string, InvariantWatch>();
  const servers = (): SiPassServer[] => [...hosts.values()].map((h) => h.server);
  const settleAll = (): Promise<void> => settle(servers(), [...roles.values()], net);
  /** The server a role's Properties tab reaches on the virtual network. */
  const serverOf = (r: PluginRole | null): SiPassServer | undefined => {
    const c = r?.config;
    const e = c ? net.route(c.host, c.port) : null;
    return e ? hosts.get(e.server)?.server : undefined;
  };
  try {
    for (const h of hosts.values()) await h.listen();
    sc.populate(scenario.securityCenter);
    const create = (name: string, index: number): PluginRole => {
      const r = createPluginRole(sc, name, {
        ...injectedBug(),
        ...options.roleOptions,
        clock,
        connector: net.connector,
        // The scenario's role keeps the ids and back-off seed it always had (runs replay); others get their own.
        roleId: index === 0 ? `role-${seed}` : `role-${seed}-${index}`,
        backoff: { seed: seed + index, ...options.roleOptions?.backoff },
      });
      roles.set(name, r);
      watches.set(name, new InvariantWatch(scenario.invariants, r, () => main.server, clock, result.invariantViolations));
      observer?.roleCreated(r);
      return r;
    };
    if (mainRoleName !== null) {
      const r = create(mainRoleName, 0);
      options.onRole?.(r);
    }
    Object.keys(scenario.roles ?? {}).forEach((name, i) => create(name, i + 1));
    const first = mainRole();
    if (scenario.plugin && first) first.apply({ host: scenario.server.host, port: scenario.server.port, ...scenario.plugin });
    for (const [name, spec] of Object.entries(scenario.roles ?? {})) {
      const at = hostOf(spec.server);
      const endpoint = at.endpoint;
      // Host and port default to the server the role names (its host, its logical port).
      if (spec.plugin) roles.get(name)?.apply({ host: [...endpoint.names][0] ?? '127.0.0.1', port: endpoint.logicalPort, ...spec.plugin });
    }
    await settleAll();

    const advance = async (ms: number): Promise<void> => {
      const target = clock.now() + ms;
      limits.simulated(target);
      for (;;) {
        limits.wall();
        const next = clock.nextDue();
        if (next === undefined || next > target) {
          clock.advanceTo(target);
          await settleAll();
          return;
        }
        clock.advanceTo(next);
        await settleAll();
      }
    };

    for (const [index, step] of scenario.steps.entries()) {
      limits.wall();
      const sr: StepResult = { index, label: stepLabel(step), at: step.at, status: 'passed', mismatches: [], simulatedAt: 0 };
      result.steps.push(sr);
      observer?.stepStarted(step, index);
      try {
        // `role:` and `server:` beside a step pick what it acts on (two roles, two servers).
        const role = step.kind === 'apply' ? mainRole() : roleOf(step.role);
        const host = hostOf(step.server);
        const server = host.server;
        // Issue 12 steps (R13-R15, directory and role lifecycle) and `refused:`.
        const operatorWorld: OperatorWorld = {
          sc,
          role: () => role,
          server: () => host.server,
          restartProxy: async () => {
            await host.restart();
          },
          roleDeleted: () => {
            const name = role?.name;
            if (name === undefined) return;
            watches.get(name)?.stop();
            watches.delete(name);
            roles.set(name, null);
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
            await host.moveTo(step.port);
            break;
          case 'stopServer':
            await host.stop();
            break;
          case 'startServer':
            await host.listen();
            break;
          case 'restartServer':
            // With a population: a new server life with a changed site.
            if (await host.restart(step.population)) for (const w of watches.values()) w.serverChanged();
            break;
          case 'blockPort':
            host.block();
            break;
          case 'unblockPort':
            host.unblock();
            break;
          case 'resetConnections':
            server.resetConnections();
            break;
          case 'fault':
            // Seeded: the step's seed, else one derived from the run's seed and the step, so a run replays.
            host.addFault({ ...step.fault, seed: step.fault.seed ?? (seed * 1000 + index) >>> 0 });
            break;
          case 'removeFault':
            host.removeFault(step.name);
            break;
          case 'clearFaults':
            host.clearFaults();
            break;
          case 'wait':
            await settleAll();
            await advance(step.ms);
            break;
          case 'expect': {
            await settleAll();
            const within = step.expect.within ?? 0;
            const deadline = clock.now() + within;
            const world = (): World => ({ sc, role: mainRole(), server: main.server, memory, servers: new Map([...hosts].map(([k, h]) => [k, h.server])), serverOf });
            let mismatches: Mismatch[] = checkExpectation(world(), step.expect);
            // `within:` lets simulated time run until the expectation holds or the deadline passes.
            while (mismatches.length > 0 && clock.now() < deadline) {
              limits.wall();
              const next = clock.nextDue();
              // Met early, a long `within:` costs nothing; only moving past the limit trips it.
              limits.simulated(next === undefined || next > deadline ? deadline : next);
              clock.advanceTo(next === undefined || next > deadline ? deadline : next);
              await settleAll();
              mismatches = checkExpectation(world(), step.expect);
            }
            sr.mismatches.push(...mismatches);
            break;
          }
        }
        await settleAll();
        for (const r of roles.values()) if (r) checkInvariants(scenario.invariants, r, sc, clock.now(), result.invariantViolations, step.kind);
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
    for (const w of watches.values()) w.stop();
    for (const r of roles.values()) r?.stop();
    for (const h of hosts.values()) await h.server.stop();
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
