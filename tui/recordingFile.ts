import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from '../harness/scenario/scenario.js';
import { writeScenario } from '../harness/scenario/writeScenario.js';

/** Where a recording goes without `--record-to`: recordings/dashboard-20261130-064512.yaml under the current folder. */
export function defaultRecordingPath(at: Date, cwd = process.cwd()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return path.join(cwd, 'recordings', `dashboard-${stamp}.yaml`);
}

/**
 * Writes a recorded scenario, standing alone: the site, directory and server
 * are inline (no include), so the file validates and runs wherever it is moved.
 */
export function saveRecording(scenario: Scenario, file: string): string {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, writeScenario(scenario, [`${scenario.name}.`, `Replay: sipass-testbench run ${path.basename(target)}`]));
  return target;
}
