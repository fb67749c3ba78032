/**
 * What each tap test process cost, for docs/testing.md's table: at its exit a test process
 * appends one line to $CPU_PER_PROCESS_OUT (default: cpu-per-process.tsv at the root): its file, its own
 * CPU-seconds (user + sys), the CPU-seconds of the child processes it waited for (spawned
 * CLIs, serve, Chromium, tmux...; worker threads are its own), and its wall seconds.
 *
 *   NODE_OPTIONS=--import=$PWD/test/loader/cpuPerProcess.mjs /usr/bin/time -v npm test
 *
 * An absolute path: tests spawn processes in other folders, which inherit NODE_OPTIONS.
 * Linux only (/proc/self/stat). Processes that are not a tap test file write nothing.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = path.resolve(process.argv[1] ?? '');
// This project's test files only: not a `node --test` a test runs in a temporary folder (its CPU
// is already counted as its parent's child).
if (process.env.TAP === '1' && file.startsWith(ROOT + path.sep) && /\.test\.[cm]?[jt]s$/.test(file)) {
  const started = Date.now();
  const out = path.resolve(ROOT, process.env.CPU_PER_PROCESS_OUT ?? 'cpu-per-process.tsv');
  process.on('exit', () => {
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      // Fields after "(comm) ": state is field 3; utime, stime, cutime, cstime are fields 14-17.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = (i) => Number(f[i - 3]) / 100;
      const own = ticks(14) + ticks(15);
      const children = ticks(16) + ticks(17);
      appendFileSync(out, `${path.relative(ROOT, file)}\t${own.toFixed(2)}\t${children.toFixed(2)}\t${((Date.now() - started) / 1000).toFixed(1)}\n`);
    } catch {
      // Not Linux, or /proc unreadable: nothing to record.
    }
  });
}
