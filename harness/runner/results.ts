import type { StepLocation } from '../scenario/scenario.js';

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

export interface StepResult {
  index: number;
  label: string;
  at: StepLocation;
  status: 'passed' | 'failed' | 'error';
  mismatches: Mismatch[];
  error?: { code: string; message: string };
  /** Simulated time when the step finished (ms from the scenario start). */
  simulatedAt: number;
}

export interface ScenarioResult {
  file: string;
  name: string;
  rules: string[];
  status: 'passed' | 'failed' | 'error';
  steps: StepResult[];
  invariantViolations: Array<{ invariant: string; message: string; simulatedAt: number }>;
  wallMs: number;
  simulatedMs: number;
  error?: { code: string; message: string };
}

/** A selected scenario that never finished: after --bail, or when a signal stopped the run. */
export interface NotRun {
  file: string;
  name: string;
  reason: 'bail' | 'interrupted';
}

export interface SuiteResult {
  scenarios: ScenarioResult[];
  /** Selected but not finished (absent or empty when every scenario ran). */
  notRun?: NotRun[];
  passed: number;
  failed: number;
  wallMs: number;
  seed: number | null;
}
