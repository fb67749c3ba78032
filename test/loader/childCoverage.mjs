/**
 * Processes the tests spawn (the built CLI, `serve`, the bench's children,
 * shell scripts and what they start) run without tap's per-process hooks,
 * and their coverage is still counted.
 *
 * Why: tap re-adds its process tracking (@tapjs/processinfo) to the
 * NODE_OPTIONS of every child it sees. That preload registers module hooks
 * on a separate thread in each child: ~0.3 CPU-s per spawned CLI on top of
 * ~0.15 for Node and the CLI itself, and `npm test` spawns over a hundred
 * (docs/testing.md, "How `npm test` stays cheap"). Node's own coverage
 * (NODE_V8_COVERAGE) costs a few hundredths of a second instead, and it
 * keeps the source maps, so a child's coverage of dist/x.js is counted
 * on x.ts, merged with the same file's coverage from the test processes.
 *
 * How: tap's process tracking rewrites each child's environment through the
 * process-on-spawn hook; this module appends one more listener to that hook
 * (after tap's, so it sees tap's NODE_OPTIONS) that takes tap's preload out
 * again and points NODE_V8_COVERAGE at a folder of this test process. When
 * the test process exits, the coverage files there are cut down to this
 * project's files and written where tap's report reads them
 * (.tap/coverage/<uuid>.json, the format tap's own preload writes). A child
 * still running when the test process exits is not counted.
 *
 * Outside tap (no process-on-spawn hook installed, or coverage off) this does
 * nothing. A caller that sets NODE_V8_COVERAGE itself keeps its own value.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT_URL = pathToFileURL(ROOT).href + '/';
/** tap's preload in NODE_OPTIONS, quoted or not. */
const TAP_PRELOAD = /(^|\s)"?--(?:import|loader|experimental-loader)=[^\s"]*@tapjs[\\/]processinfo[^\s"]*"?/g;

const spawnHook = globalThis[Symbol.for('process-on-spawn@*:singletonId')];
const counting = process.env._TAPJS_PROCESSINFO_COVERAGE_ === '1';

/** Only this project's own modules (what tap's preload keeps): not node:, not node_modules, not .tap. */
function ours(url) {
  return typeof url === 'string' && url.startsWith(ROOT_URL) && !/[\\/](node_modules|\.tap)[\\/]/.test(url.slice(ROOT_URL.length - 1));
}

function collect(dir) {
  const out = path.join(process.env._TAPJS_PROCESSINFO_CWD_ || ROOT, '.tap', 'coverage');
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return;
  }
  for (const f of files) {
    try {
      const cov = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
      const result = (cov.result ?? []).filter((s) => ours(s.url));
      if (result.length === 0) continue;
      const maps = cov['source-map-cache'] ?? {};
      const kept = Object.fromEntries(result.filter((s) => maps[s.url]).map((s) => [s.url, maps[s.url]]));
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, `${randomUUID()}.json`), JSON.stringify({ result, 'source-map-cache': kept }));
    } catch {
      // A child killed while writing its file: that child is not counted.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (spawnHook && Array.isArray(spawnHook.listeners)) {
  let dir;
  spawnHook.listeners.push((child) => {
    const env = { ...child.env };
    if (typeof env.NODE_OPTIONS === 'string') {
      const rest = env.NODE_OPTIONS.replace(TAP_PRELOAD, ' ').trim();
      if (rest === '') delete env.NODE_OPTIONS;
      else env.NODE_OPTIONS = rest;
    }
    if (counting && env.NODE_V8_COVERAGE === undefined) {
      dir ??= mkdtempSync(path.join(os.tmpdir(), 'sipass-child-coverage-'));
      env.NODE_V8_COVERAGE = dir;
    }
    child.env = env;
  });
  process.on('exit', () => {
    if (dir !== undefined) collect(dir);
  });
}
