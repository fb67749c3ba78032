import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, as a user runs it (tests run after `npm run build`). */
export const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');

/** The environment a user's shell would give: no colour settings inherited from the test runner. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'SIPASS_TESTBENCH_HOLD', 'SIPASS_TESTBENCH_INJECT_BUG']) delete env[k];
  return { ...env, ...extra };
}

export function cliIn(cwd: string, args: string[], extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: userEnv(extraEnv) });
}

/** A small scenario that passes in a few hundred ms of wall time. */
export const passingScenario = (name: string): string => `name: ${name}
population: { seed: 4, cardholders: 3 }
plugin: { host: 127.0.0.1 }
steps:
  - expect: { state: ready, within: 10s }
  - expect: { counts: { cardholder: 3 } }
`;
