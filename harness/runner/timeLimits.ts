import { formatDuration } from '../../core/duration.js';
import { TestbenchError } from '../../core/testbenchError.js';

/** A scenario's budget: simulated time (the injected clock) and wall time (the machine's). */
export interface TimeLimits {
  simulatedMs: number;
  wallMs: number;
}

/**
 * Defaults that fit the bundled suite with a wide margin (its longest scenario
 * spans 10 minutes simulated and under 2 s of wall time on a busy 2-core
 * machine) and stop a `wait: 1000h` typo at once instead of after many minutes.
 */
export const DEFAULT_TIME_LIMITS: TimeLimits = { simulatedMs: 3_600_000, wallMs: 60_000 };

export const SIM_LIMIT_CODE = 'SCENARIO_SIMULATED_TIME_LIMIT';
export const WALL_LIMIT_CODE = 'SCENARIO_WALL_TIME_LIMIT';

export const isTimeLimitError = (e: unknown): boolean => e instanceof TestbenchError && (e.code === SIM_LIMIT_CODE || e.code === WALL_LIMIT_CODE);

/** The limits in force: the scenario's own `limits:` win over the run's (--sim-timeout, --timeout), which win over the defaults. */
export function resolveTimeLimits(scenario: Partial<TimeLimits> | undefined, run: Partial<TimeLimits> | undefined): TimeLimits {
  return {
    simulatedMs: scenario?.simulatedMs ?? run?.simulatedMs ?? DEFAULT_TIME_LIMITS.simulatedMs,
    wallMs: scenario?.wallMs ?? run?.wallMs ?? DEFAULT_TIME_LIMITS.wallMs,
  };
}

/** Watches one scenario's run; each check throws a TestbenchError naming the limit that tripped. */
export class LimitWatch {
  private readonly wallStart: number;

  constructor(
    readonly limits: TimeLimits,
    private readonly wallNow: () => number = Date.now,
  ) {
    this.wallStart = wallNow();
  }

  /** Before simulated time moves to `target` (ms from the scenario start). */
  simulated(target: number): void {
    if (target <= this.limits.simulatedMs) return;
    throw new TestbenchError(
      SIM_LIMIT_CODE,
      `simulated-time limit ${formatDuration(this.limits.simulatedMs)} exceeded: this step would run simulated time to ${formatDuration(target)} (raise it with limits.simulated in the scenario or --sim-timeout)`,
      { limitMs: this.limits.simulatedMs, targetMs: target },
    );
  }

  /** Between steps and while simulated time moves. */
  wall(): void {
    const spent = this.wallNow() - this.wallStart;
    if (spent <= this.limits.wallMs) return;
    throw new TestbenchError(
      WALL_LIMIT_CODE,
      `wall-time limit ${formatDuration(this.limits.wallMs)} exceeded (${formatDuration(spent)} spent; raise it with limits.wall in the scenario or --timeout)`,
      { limitMs: this.limits.wallMs, spentMs: spent },
    );
  }
}
