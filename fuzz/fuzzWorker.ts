/**
 * The fuzz worker thread: runs a range of inputs and posts the tally. Before
 * each input it writes the input's index and start time to shared memory,
 * where the parent's hang detector reads them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decoderRange } from './fuzzDecoder.js';
import type { Tally, WorkerInput, WorkerOutput } from './fuzzRun.js';
import { loaderRange } from './fuzzScenarioLoader.js';

const port = parentPort;
if (!port) throw new Error('fuzzWorker runs as a worker thread');
const input = workerData as WorkerInput;
const index = new Int32Array(input.progress, 0, 1);
const startedAt = new Float64Array(input.progress, 8, 1);
let lastPosted = Date.now();
let violationsPosted = 0;
/** Before each input: where we are (shared memory), and now and then the tally so far (kept by the parent if a hang stops us). */
const progress = (i: number, tally: Tally): void => {
  const now = Date.now();
  if (tally.violations.length !== violationsPosted || now - lastPosted >= 250) {
    port.postMessage({ kind: 'partial', tally } satisfies WorkerOutput);
    lastPosted = now;
    violationsPosted = tally.violations.length;
  }
  startedAt[0] = Date.now();
  index[0] = i;
};

async function run(): Promise<Tally> {
  if (input.target === 'decoder') return decoderRange(input.seed, input.from, input.to, progress, input.maxInputMs, input.maxViolations);
  return loaderRange(input.seed, input.from, input.to, progress, input.maxInputMs, input.maxViolations, input.scenariosDir);
}

try {
  const tally = await run();
  index[0] = -1;
  port.postMessage({ kind: 'done', tally } satisfies WorkerOutput);
} catch (e) {
  index[0] = -1;
  port.postMessage({ kind: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerOutput);
}
