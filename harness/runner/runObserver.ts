import type { Clock } from '../../core/clock.js';
import type { PluginRole } from '../../plugin/pluginRole.js';
import type { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import type { SiPassServer } from '../../simulator/sipassServer.js';
import type { Scenario, Step } from '../scenario/scenario.js';
import type { ScenarioResult, StepResult } from './results.js';

/**
 * Watches one scenario run from the inside (the trace recorder, harness/trace/). The runner
 * tells it what it creates and where each step starts and ends; everything else (wire
 * messages, role notices, Security Center changes) it observes on the objects themselves.
 * Absent, the runner pays nothing.
 */
export interface RunObserver {
  /** A server life: the first one, and each `restartServer` with a new population. */
  serverCreated(server: SiPassServer): void;
  securityCenterCreated(sc: SecurityCenter): void;
  roleCreated(role: PluginRole): void;
  stepStarted(step: Step, index: number): void;
  stepFinished(step: Step, result: StepResult): void;
  finished(result: ScenarioResult): void;
}

/** Makes the observer of one scenario (called once per scenario run, with its clock and seed). */
export type ObserveRun = (scenario: Scenario, clock: Clock, seed: number) => RunObserver;
