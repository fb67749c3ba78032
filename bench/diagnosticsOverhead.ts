import http from 'node:http';
import { Child } from './child.js';
import { populationFor } from './mix.js';
import { median } from './stats.js';

/**
 * Issue 15: "the diagnostic page adds no measurable time to a 1M-entity sync". The same site is
 * served by two server processes that differ only by the diagnostic page (serverProcess, and
 * diagnosticsServerProcess with a client connected to the page's Server-Sent Events stream, as a
 * browser leaves it open); a role process syncs from each in turn, ABBA order so drift falls on
 * both sides. The ratio of the medians is compared with the run-to-run spread of each side.
 */
export interface OverheadRun {
  diagnostics: boolean;
  ms: number;
  entities: number;
  complete: boolean;
  /** Server-Sent Events the watching client received during this sync (diagnostics runs only). */
  pushes: number;
}

export interface OverheadReport {
  size: number;
  reps: number;
  runs: OverheadRun[];
  withoutMs: number;
  withMs: number;
  /** with / without, medians. */
  ratio: number;
  /** Run-to-run noise: the larger relative half-range ((max - min) / 2 / median) of the two sides. */
  noise: number;
  withinNoise: boolean;
  complete: boolean;
}

const syncTimeout = (size: number): number => 120_000 + size * 0.5;

/** A client of the page's event stream, as a browser tab is: it reads everything pushed. */
function watch(url: string): { events: () => number; bytes: () => number; close: () => void } {
  let events = 0;
  let bytes = 0;
  const req = http.get(`${url}events`, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      bytes += Buffer.byteLength(chunk);
      for (const line of chunk.split('\n')) if (line.startsWith('event:')) events++;
    });
  });
  req.on('error', () => undefined);
  return { events: () => events, bytes: () => bytes, close: () => req.destroy() };
}

async function start(name: 'serverProcess' | 'diagnosticsServerProcess', size: number, seed: number): Promise<{ child: Child; host: string; port: number; diagnostics?: string }> {
  const child = new Child(name);
  try {
    const m = await child.ask({ cmd: 'start', population: populationFor(size, seed) }, 'listening', 30_000);
    return { child, host: m.host, port: m.port, ...(m.diagnostics !== undefined ? { diagnostics: m.diagnostics } : {}) };
  } catch (e) {
    child.kill();
    throw e;
  }
}

async function syncOnce(host: string, port: number, size: number): Promise<{ ms: number; entities: number; complete: boolean }> {
  const role = new Child('roleProcess');
  try {
    const synced = await role.ask({ cmd: 'sync', host, port, timeoutMs: syncTimeout(size) }, 'synced', syncTimeout(size) + 10_000);
    await role.stop();
    return { ms: synced.ms, entities: synced.entities, complete: synced.entities === size && synced.digest === synced.serverDigest && synced.errors.length === 0 };
  } finally {
    role.kill();
  }
}

const halfRange = (xs: number[]): number => (xs.length < 2 ? 0 : (Math.max(...xs) - Math.min(...xs)) / 2 / median(xs));

export async function runDiagnosticsOverhead(o: { size: number; reps: number; seed: number; onRun?: (r: OverheadRun, i: number, of: number) => void }): Promise<OverheadReport> {
  const plain = await start('serverProcess', o.size, o.seed);
  let page: Awaited<ReturnType<typeof start>> | undefined;
  let watcher: ReturnType<typeof watch> | undefined;
  const runs: OverheadRun[] = [];
  try {
    page = await start('diagnosticsServerProcess', o.size, o.seed);
    watcher = watch(page.diagnostics ?? '');
    const order = Array.from({ length: o.reps }, (_, i) => (i % 2 === 0 ? [false, true] : [true, false])).flat();
    for (const [i, diagnostics] of order.entries()) {
      const target = diagnostics ? page : plain;
      const before = watcher.events();
      const r = await syncOnce(target.host, target.port, o.size);
      const run = { diagnostics, ...r, pushes: diagnostics ? watcher.events() - before : 0 };
      runs.push(run);
      o.onRun?.(run, i + 1, order.length);
    }
  } finally {
    watcher?.close();
    await page?.child.stop();
    await plain.child.stop();
  }
  const without = runs.filter((r) => !r.diagnostics).map((r) => r.ms);
  const withPage = runs.filter((r) => r.diagnostics).map((r) => r.ms);
  const withoutMs = median(without);
  const withMs = median(withPage);
  const ratio = withMs / withoutMs;
  const noise = Math.max(halfRange(without), halfRange(withPage));
  return { size: o.size, reps: o.reps, runs, withoutMs, withMs, ratio, noise, withinNoise: Math.abs(ratio - 1) <= noise, complete: runs.every((r) => r.complete) };
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** The terminal report: every run, then the medians, the ratio and the noise. */
export function overheadReport(r: OverheadReport): string {
  const lines = [`diagnostic page overhead on a ${r.size.toLocaleString('en-US')}-entity full sync (${r.reps} runs each, ABBA order)`];
  for (const [i, run] of r.runs.entries()) {
    lines.push(`  run ${i + 1}: ${run.diagnostics ? 'with page   ' : 'without page'}  ${secs(run.ms).padStart(9)}  ${run.entities.toLocaleString('en-US')} entities${run.complete ? '' : ' INCOMPLETE'}${run.diagnostics ? `, ${run.pushes} pushes to the watching client` : ''}`);
  }
  const spread = (d: boolean): string => `${(halfRange(r.runs.filter((x) => x.diagnostics === d).map((x) => x.ms)) * 100).toFixed(1)}%`;
  lines.push(`without the page: median ${secs(r.withoutMs)} (run-to-run ±${spread(false)})`);
  lines.push(`with the page:    median ${secs(r.withMs)} (run-to-run ±${spread(true)})`);
  lines.push(`ratio with/without: ${r.ratio.toFixed(3)}x; noise ±${(r.noise * 100).toFixed(1)}%: ${r.withinNoise ? 'within noise (no measurable overhead)' : 'outside the noise'}`);
  return lines.join('\n');
}
