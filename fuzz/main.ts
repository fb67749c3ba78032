/**
 * `npm run fuzz`: the deep fuzz run. FrameDecoder gets 200,000 inputs and the
 * scenario loader 2,000 mutated files (both in worker threads, at once), and
 * 200 hostile wire peers meet a live server (fuzzWirePeers.ts), unless
 * FUZZ_DECODER_ITERATIONS / FUZZ_LOADER_ITERATIONS / FUZZ_PEER_ITERATIONS say otherwise.
 * The seed is printed; FUZZ_SEED=<seed> replays a run. Exit 0 when no input
 * crashed, broke the error contract or hung; 1 otherwise.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fuzzDecoder, missedOutcomes } from './fuzzDecoder.js';
import type { FuzzReport } from './fuzzRun.js';
import { fuzzScenarioLoader } from './fuzzScenarioLoader.js';
import { formatReport } from './report.js';
import { formatPeerReport, fuzzWirePeers } from './fuzzWirePeers.js';
import { clockSeed, parseSeed } from './rng.js';

export const DEEP_DECODER_ITERATIONS = 200_000;
export const DEEP_LOADER_ITERATIONS = 2_000;
export const DEEP_PEER_ITERATIONS = 200;

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return v;
}

/** Writes each violation's input to a file (the loader's mutated YAML, the decoder's bytes), for a bug report. */
async function saveInputs(r: FuzzReport): Promise<string[]> {
  if (r.violations.length === 0) return [];
  const dir = path.join(os.tmpdir(), 'sipass-fuzz-failures');
  await mkdir(dir, { recursive: true });
  const saved: string[] = [];
  for (const v of r.violations) {
    if (v.input === undefined) continue;
    const file = path.join(dir, `${r.target}-${v.seed}-${v.index}${r.target === 'loader' ? `-${path.basename(v.file ?? 'scenario.yaml')}` : '.bin'}`);
    await writeFile(file, r.target === 'loader' ? v.input : Buffer.from(v.input, 'base64'));
    saved.push(file);
  }
  return saved;
}

async function main(): Promise<number> {
  const seed = parseSeed(process.env.FUZZ_SEED) ?? clockSeed();
  const decoderIterations = count('FUZZ_DECODER_ITERATIONS', DEEP_DECODER_ITERATIONS);
  const loaderIterations = count('FUZZ_LOADER_ITERATIONS', DEEP_LOADER_ITERATIONS);
  const peerIterations = count('FUZZ_PEER_ITERATIONS', DEEP_PEER_ITERATIONS);
  console.log(`fuzz seed=${seed} (replay: FUZZ_SEED=${seed} npm run fuzz): decoder ${decoderIterations.toLocaleString('en')} inputs, scenario loader ${loaderIterations.toLocaleString('en')} files, ${peerIterations.toLocaleString('en')} hostile wire peers`);
  const [decoder, loader, peers] = await Promise.all([
    fuzzDecoder({ iterations: decoderIterations, seed }),
    fuzzScenarioLoader({ iterations: loaderIterations, seed }),
    fuzzWirePeers({ peers: peerIterations, seed }),
  ]);
  let bad = 0;
  for (const r of [decoder, loader]) {
    console.log('');
    console.log(formatReport(r, { showRecipes: true }));
    for (const f of await saveInputs(r)) console.log(`    saved: ${f}`);
    bad += r.violations.length + (r.aborted !== undefined || r.inputs < r.iterations ? 1 : 0);
  }
  // The generators must reach what they are for (these were test/fuzz/fuzz.test.ts assertions at 2,000 inputs).
  const missed = missedOutcomes(decoder);
  if (missed.length > 0) console.log(`FrameDecoder: no input ended in ${missed.join(', ')}: the generator no longer reaches it`);
  const loaderInvalid = loader.iterations >= 100 && (loader.outcomes.SCENARIO_INVALID ?? 0) === 0;
  if (loaderInvalid) console.log('loadScenario: no mutated file was invalid: the mutations no longer break anything');
  const strange = Object.keys(loader.outcomes).filter((k) => k !== 'ok' && k !== 'SCENARIO_INVALID');
  if (strange.length > 0) console.log(`loadScenario: outcomes other than a scenario or SCENARIO_INVALID: ${strange.join(', ')}`);
  bad += missed.length + (loaderInvalid ? 1 : 0) + strange.length;
  console.log('');
  console.log(formatPeerReport(peers));
  bad += peers.violations.length;
  console.log('');
  console.log(bad === 0 ? `fuzz: no violation (seed=${seed})` : `fuzz: FAILED, ${bad} problem(s) (seed=${seed})`);
  return bad === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  },
);
