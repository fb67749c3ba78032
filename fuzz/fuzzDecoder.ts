import { FrameDecoder } from '../protocol/frameDecoder.js';
import type { Message } from '../protocol/messages.js';
import { ProtocolError, type ProtocolErrorCode } from '../protocol/protocolError.js';
import { messageProblem } from '../protocol/validateMessage.js';
import { decoderCase, type DecoderCase } from './decoderCases.js';
import { DEFAULT_MAX_VIOLATIONS, describeThrown, emptyTally, runIsolated, type FuzzOptions, type FuzzReport, type Tally, type Violation } from './fuzzRun.js';

/** Every code a ProtocolError may carry. */
export const PROTOCOL_ERROR_CODES: readonly ProtocolErrorCode[] = [
  'PROTO_BAD_MAGIC',
  'PROTO_FOREIGN_PROTOCOL',
  'PROTO_FRAME_TOO_LARGE',
  'PROTO_BAD_JSON',
  'PROTO_BAD_MESSAGE',
  'PROTO_VERSION_MISMATCH',
  'PROTO_UNEXPECTED',
  'PROTO_TRUNCATED',
];

/** The outcomes the generator must reach, every one of them, in a run of EVERY_OUTCOME_FROM inputs or more. */
export const DECODER_OUTCOMES = ['PROTO_BAD_MAGIC', 'PROTO_FOREIGN_PROTOCOL', 'PROTO_FRAME_TOO_LARGE', 'PROTO_BAD_JSON', 'PROTO_BAD_MESSAGE', 'PROTO_TRUNCATED', 'ok'] as const;
/** The rarest outcome (PROTO_FOREIGN_PROTOCOL) is ~5% of inputs: ~100 expected in 2,000. */
export const EVERY_OUTCOME_FROM = 2_000;

/** Outcomes a run of `r.inputs` should have reached and did not (none below EVERY_OUTCOME_FROM inputs). */
export function missedOutcomes(r: Pick<FuzzReport, 'inputs' | 'outcomes'>): string[] {
  if (r.inputs < EVERY_OUTCOME_FROM) return [];
  return DECODER_OUTCOMES.filter((o) => (r.outcomes[o] ?? 0) === 0);
}

/** The codes a FrameDecoder raises (the others belong to the session layer). */
const DECODER_CODES: ReadonlySet<string> = new Set([
  'PROTO_BAD_MAGIC',
  'PROTO_FOREIGN_PROTOCOL',
  'PROTO_FRAME_TOO_LARGE',
  'PROTO_BAD_JSON',
  'PROTO_BAD_MESSAGE',
  'PROTO_TRUNCATED',
]);

interface Decoded {
  messages: Message[];
  error: ProtocolError | undefined;
}

function chunksOf(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

/** What is wrong with a ProtocolError raised on a stream of `length` bytes, if anything. */
function errorProblem(e: ProtocolError, length: number, from: string): string | undefined {
  if (!PROTOCOL_ERROR_CODES.includes(e.code)) return `${from}: unknown code ${String(e.code)}`;
  if (!DECODER_CODES.has(e.code)) return `${from}: the decoder raised ${e.code}, a session-level code`;
  if (typeof e.offset !== 'number' || !Number.isInteger(e.offset)) return `${from}: offset ${String(e.offset)} is not an integer`;
  if (e.offset < 0 || e.offset > length) return `${from}: offset ${e.offset} outside the ${length}-byte stream`;
  if (!e.message.includes(`at byte ${e.offset}`)) return `${from}: the message does not name the offset: ${e.message}`;
  return undefined;
}

/**
 * Feeds the chunks to a fresh decoder, checking the contract on the way:
 * only ProtocolErrors escape (with a known code and an offset inside the
 * stream), every message returned is valid, a failed decoder stays failed,
 * end() reports a truncation or nothing. Throws a string naming the first
 * breach (anything else thrown is a crash).
 */
function decode(c: DecoderCase, chunks: readonly Buffer[], label: string): Decoded {
  const decoder = new FrameDecoder(c.maxFrame !== undefined ? { maxFrame: c.maxFrame } : {});
  const messages: Message[] = [];
  let error: ProtocolError | undefined;
  for (const chunk of chunks) {
    try {
      const got = decoder.push(chunk);
      for (const m of got) {
        const problem = messageProblem(m);
        if (problem !== undefined) throw new Breach(`${label}: the decoder returned an invalid message (${problem})`);
        messages.push(m);
      }
    } catch (e) {
      if (e instanceof Breach) throw e;
      if (!(e instanceof ProtocolError)) throw new Breach(`${label}: a non-ProtocolError escaped push(): ${describeThrown(e)}`, 'crash');
      error = e;
      break;
    }
  }
  if (error !== undefined) {
    let again: unknown;
    try {
      decoder.push(Buffer.from([0x53, 0x50, 0, 0, 0, 2, 0x7b, 0x7d]));
    } catch (e) {
      again = e;
    }
    if (again !== error) throw new Breach(`${label}: a failed decoder did not throw the same error again (${describeThrown(again)})`);
    if (decoder.end() !== error) throw new Breach(`${label}: end() on a failed decoder does not report the failure`);
  } else {
    let ended: ProtocolError | undefined;
    try {
      ended = decoder.end();
    } catch (e) {
      throw new Breach(`${label}: end() threw: ${describeThrown(e)}`, 'crash');
    }
    if (ended !== undefined) {
      if (!(ended instanceof ProtocolError)) throw new Breach(`${label}: end() returned a non-ProtocolError`, 'crash');
      if (ended.code !== 'PROTO_TRUNCATED') throw new Breach(`${label}: end() returned ${ended.code}, not PROTO_TRUNCATED`);
      error = ended;
    }
  }
  if (error !== undefined) {
    const problem = errorProblem(error, c.bytes.length, label);
    if (problem !== undefined) throw new Breach(problem);
  }
  return { messages, error };
}

/** A broken contract, found while checking one input. */
class Breach extends Error {
  constructor(
    message: string,
    readonly kind: Violation['kind'] = 'contract',
  ) {
    super(message);
  }
}

/**
 * Runs one input, whole and in its chunks. Returns the outcome (an error code,
 * or "ok") and the violation, if any. The same stream in other chunks must
 * fail at the same offset (or not at all) and, when it does not fail, give
 * the same messages.
 */
export function runDecoderCase(c: DecoderCase): { outcome: string; violation?: Omit<Violation, 'seed' | 'index' | 'ms'> } {
  try {
    const whole = decode(c, [c.bytes], 'whole');
    const split = c.cuts.length > 0 ? decode(c, chunksOf(c.bytes, c.cuts), `in ${c.cuts.length + 1} chunks`) : whole;
    if ((whole.error === undefined) !== (split.error === undefined) || whole.error?.offset !== split.error?.offset) {
      const show = (d: Decoded): string => (d.error ? `${d.error.code} at ${d.error.offset}` : `ok (${d.messages.length} messages)`);
      throw new Breach(`the chunking changes the result: whole ${show(whole)}, chunked ${show(split)}`);
    }
    if (whole.error === undefined && split.messages.map((m) => m.t).join() !== whole.messages.map((m) => m.t).join()) {
      throw new Breach(`the chunking changes the messages: ${whole.messages.length} whole, ${split.messages.length} chunked`);
    }
    return { outcome: whole.error?.code ?? 'ok' };
  } catch (e) {
    const kind = e instanceof Breach ? e.kind : 'crash';
    const detail = e instanceof Breach ? e.message : `the checker itself threw: ${describeThrown(e)}`;
    return { outcome: kind, violation: { kind, detail, recipe: c.recipe.join('+'), input: c.bytes.toString('base64'), cuts: c.cuts, ...(c.maxFrame !== undefined ? { maxFrame: c.maxFrame } : {}) } };
  }
}

/**
 * Inputs [from, to) of the run with `seed`, in this thread. `progress` is
 * told which input starts, with the tally so far (the hang detector reads it).
 */
export function decoderRange(
  seed: number,
  from: number,
  to: number,
  progress: (index: number, tally: Tally) => void,
  maxInputMs: number,
  maxViolations = DEFAULT_MAX_VIOLATIONS,
): Tally {
  const tally = emptyTally(maxViolations);
  for (let i = from; i < to; i++) {
    progress(i, tally);
    let started = performance.now();
    const c = decoderCase(seed, i);
    const r = runDecoderCase(c);
    let ms = performance.now() - started;
    if (!r.violation && ms > maxInputMs) {
      // Wall time on a shared CI machine includes other work: an input is slow only if a second
      // run of it (the same bytes, the same cuts) is slow too. A real super-linear case is slow both times.
      started = performance.now();
      runDecoderCase(c);
      ms = Math.min(ms, performance.now() - started);
    }
    tally.inputs++;
    tally.bytes += c.bytes.length;
    tally.outcomes[r.outcome] = (tally.outcomes[r.outcome] ?? 0) + 1;
    for (const step of c.recipe) tally.recipes[step] = (tally.recipes[step] ?? 0) + 1;
    if (ms > tally.slowestMs) {
      tally.slowestMs = ms;
      tally.slowestIndex = i;
    }
    if (r.violation) tally.violations.push({ seed, index: i, ms, ...r.violation });
    else if (ms > maxInputMs) {
      tally.violations.push({ seed, index: i, ms, kind: 'slow', detail: `input took ${ms.toFixed(0)} ms (limit ${maxInputMs} ms)`, recipe: c.recipe.join('+'), input: c.bytes.toString('base64') });
    }
    if (tally.violations.length >= tally.maxViolations) break;
  }
  return tally;
}

/**
 * Fuzzes FrameDecoder with `iterations` inputs from `seed`: random bytes and
 * mutated valid streams, each fed whole and in random chunks. Runs in a
 * worker thread watched from this one, so an input that never returns is
 * reported (seed and index) instead of hanging the caller.
 */
export function fuzzDecoder(options: FuzzOptions): Promise<FuzzReport> {
  return runIsolated('decoder', options);
}

/** The input number `index` of the run with `seed`, as bytes and chunk boundaries (to replay a violation). */
export { decoderCase };
