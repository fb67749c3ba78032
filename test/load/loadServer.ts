/**
 * The server side of `npm run load`: the real `serve` command (its defaults:
 * limits, connection cap, log lines on stdout) in a process of its own, so the
 * CPU time and peak RSS measured are the server's alone. Beside it, a sampler
 * of this process's heap (a forced full GC now and then gives the live set)
 * answers the load runner over IPC. Started by test/load/loadRun.ts with
 * `--expose-gc`; SIGINT stops `serve` as it does for a user.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { serveCommand } from '../../cli/commands/serve.js';

/** `sample`: a forced full GC now, its heap a live sample (no answer); the others are answered with the stats. */
export type ToLoadServer = { cmd: 'baseline' } | { cmd: 'stats' } | { cmd: 'sample' };

export interface LoadServerStats {
  kind: 'stats';
  /** Used heap right after a full GC, when the runner asked for the baseline (bytes). */
  heapBaseline: number;
  /** Highest used heap seen since the baseline (uncollected garbage included). */
  heapPeak: number;
  /** Highest used heap right after a forced full GC since the baseline: the live set. */
  livePeak: number;
  liveSamples: number;
  /** Used heap after a full GC now. */
  heapNow: number;
  /** CPU of this process since it started (µs), and since the baseline. */
  cpuUserUs: number;
  cpuSystemUs: number;
  cpuSinceBaselineUs: number;
  /** Peak resident set of this process (bytes, ru_maxrss), and the resident set now. */
  maxRss: number;
  rss: number;
  rssAtBaseline: number;
  /** The event loop since the baseline: the longest delay, and the 99th percentile (ms). */
  loopDelayMaxMs: number;
  loopDelayP99Ms: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('loadServer.ts needs --expose-gc');
const heapUsed = (): number => v8.getHeapStatistics().used_heap_size;
const settledHeap = (): number => {
  gc();
  gc();
  return heapUsed();
};
const cpuUs = (): number => {
  const c = process.cpuUsage();
  return c.user + c.system;
};

let heapBaseline = 0;
let heapPeak = 0;
let livePeak = 0;
let liveSamples = 0;
let cpuAtBaseline = 0;
let rssAtBaseline = 0;
const loop = monitorEventLoopDelay({ resolution: 10 });
// The heap in use, every 200 ms (cheap: no GC). The live set needs a forced full GC, which pauses
// the server; the runner asks for one ('sample') only once every role has been accepted, so no
// forced GC stalls the accepts this run measures (one did, by up to a second on a loaded machine).
const sampler = setInterval(() => {
  if (heapBaseline === 0) return;
  heapPeak = Math.max(heapPeak, heapUsed());
}, 200);
sampler.unref();

process.on('message', (m: ToLoadServer) => {
  if (m.cmd === 'sample') {
    if (heapBaseline === 0) return;
    livePeak = Math.max(livePeak, settledHeap());
    liveSamples++;
    return;
  }
  if (m.cmd === 'baseline') {
    heapBaseline = settledHeap();
    heapPeak = heapBaseline;
    livePeak = heapBaseline;
    cpuAtBaseline = cpuUs();
    rssAtBaseline = process.memoryUsage().rss;
    loop.reset();
    loop.enable();
  }
  heapPeak = Math.max(heapPeak, heapUsed());
  const c = process.cpuUsage();
  const stats: LoadServerStats = {
    kind: 'stats',
    heapBaseline,
    heapPeak,
    livePeak,
    liveSamples,
    heapNow: settledHeap(),
    cpuUserUs: c.user,
    cpuSystemUs: c.system,
    cpuSinceBaselineUs: cpuUs() - cpuAtBaseline,
    maxRss: process.resourceUsage().maxRSS * 1024,
    rss: process.memoryUsage().rss,
    rssAtBaseline,
    loopDelayMaxMs: loop.max / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
  };
  process.send?.(stats);
});

const code = await serveCommand.run(process.argv.slice(2));
clearInterval(sampler);
process.exitCode = code;
process.disconnect?.();
