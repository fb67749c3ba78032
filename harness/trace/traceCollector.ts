import type { Clock } from '../../core/clock.js';
import type { ObserveRun, RunObserver } from '../runner/runObserver.js';
import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioTrace } from './traceEntry.js';
import { TraceRecorder } from './traceRecorder.js';

/**
 * Which scenarios keep their trace (`run --trace`, Playwright's words): every one, only the ones
 * that did not pass, or none (then nothing is recorded at all).
 */
export type TraceMode = 'on' | 'retain-on-failure' | 'off';
export const TRACE_MODES: readonly TraceMode[] = ['on', 'retain-on-failure', 'off'];

/**
 * Records every scenario of a suite and keeps the traces the mode asks for, by scenario file
 * (a scenario's trace is complete when its result is: a suite stopped by a signal keeps the
 * traces of the scenarios that finished).
 */
export class TraceCollector {
  private readonly kept = new Map<string, ScenarioTrace>();

  constructor(
    readonly mode: TraceMode,
    private readonly maxEntries?: number,
  ) {}

  /** The runner's `observe` option, or undefined when the mode records nothing. */
  observe(): ObserveRun | undefined {
    if (this.mode === 'off') return undefined;
    return (scenario: Scenario, clock: Clock, seed: number): RunObserver =>
      new TraceRecorder(scenario, clock, seed, this.maxEntries, (trace) => {
        if (this.mode === 'on' || trace.scenario.status !== 'passed') this.kept.set(trace.scenario.file, trace);
      });
  }

  /** The trace kept for a scenario file, if any. */
  get(file: string): ScenarioTrace | undefined {
    return this.kept.get(file);
  }

  all(): ScenarioTrace[] {
    return [...this.kept.values()];
  }
}
