// What the real-terminal tests (the dashboard and its recording, in tmux) share: where the built CLI
// is, whether they can run, and an environment without tap's hooks.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Why the tmux tests are skipped, or false. */
export const tmuxSkip: string | false = !hasTmux
  ? 'tmux is not installed (apt-get install tmux): the real-terminal test needs it'
  : !existsSync(MAIN)
    ? 'dist/ is not built: run `npm test` or `npx tsc -p tsconfig.build.json`'
    : false;

/** tap re-adds its coverage hooks to every child it sees: a shell strips them before node starts. */
export const NO_TAP = 'env -u NODE_OPTIONS -u NODE_V8_COVERAGE';

/** tap's coverage and process tracking ride on these: the CLI under test runs without them. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (k !== 'NODE_OPTIONS' && k !== 'NODE_V8_COVERAGE' && !/^_?TAP/i.test(k)) env[k] = v;
  return env;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
