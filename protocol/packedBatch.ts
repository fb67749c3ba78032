import type { Batch } from './messages.js';
import type { Scalar, SiPassRecord } from './sipassTypes.js';

/**
 * The packed encoding of a batch (docs/protocol.md, "batch"): the records' keys once, then every
 * value of every record, record after record, in one string, each value a tag and its text:
 *
 *   {"t":"batch","id":1,"type":"cardholders","keys":["id","name"],"values":"sCH-1\u007fsAnna 1\u007fsCH-2\u007fsBen 2"}
 *
 * Why (issue 14): JSON.parse internalizes every string value of at most 10 characters -- every
 * SiPass id, reader and address of a site -- into V8's string table; with a million distinct ids
 * that lookup-and-insert was a third of decoding a batch. One long string per batch is not
 * internalized, the values are cut out of it, and each record is built by a literal of its keys.
 * The wire halves as well (keys and quotes once per batch). A separator JSON does not escape
 * (DEL, U+007F) keeps the string one plain run for the parser.
 *
 * A batch is packed only when a role asks for it in its hello (`batchEncodings`) and every record
 * has the same keys in the same order and no string value holds the separator; any other batch
 * goes as `items`. Decoded, both forms are the same Batch message.
 */
export const PACKED = 'packed';

/** Between two values (DEL): not escaped by JSON, not in SiPass names. */
const SEP = '\u007f';
const TAG_STRING = 0x73; // s
const TAG_NUMBER = 0x6e; // n
const TAG_TRUE = 0x74; // t
const TAG_FALSE = 0x66; // f
const TAG_NULL = 0x7a; // z

/** The wire form of a packed batch (never a Message: the decoder turns it into one with `items`). */
export interface PackedBatch {
  t: 'batch';
  id: number;
  type: Batch['type'];
  keys: string[];
  values: string;
}

function packValue(v: Scalar): string | undefined {
  if (typeof v === 'string') return v.includes(SEP) ? undefined : `s${v}`;
  if (typeof v === 'number') return Number.isFinite(v) ? `n${v}` : undefined;
  if (v === true) return 't';
  if (v === false) return 'f';
  if (v === null) return 'z';
  return undefined;
}

/** The packed form of `batch`, or undefined when it cannot be packed (it goes as `items`). */
export function packBatch(batch: Batch): PackedBatch | undefined {
  const items = batch.items;
  const first = items[0];
  if (first === undefined) return undefined;
  const keys = Object.keys(first);
  if (keys.includes('__proto__')) return undefined;
  const n = keys.length;
  let values = '';
  for (let r = 0; r < items.length; r++) {
    const record = items[r] as SiPassRecord;
    let k = 0;
    // Same keys in the same order, or the batch is not packable (checked as the values are read).
    for (const key in record) {
      // Past the first record's keys, keys[k] is undefined: unequal too.
      if (keys[k] !== key) return undefined;
      const text = packValue(record[key] as Scalar);
      if (text === undefined) return undefined;
      values += r === 0 && k === 0 ? text : SEP + text;
      k++;
    }
    if (k !== n) return undefined;
  }
  return { t: 'batch', id: batch.id, type: batch.type, keys, values };
}

/** Whether a decoded frame is a packed batch (it has `values`; a batch of `items` does not). */
export function isPackedBatch(v: Record<string, unknown>): boolean {
  return v.t === 'batch' && v.values !== undefined;
}

type Build = (values: Scalar[]) => SiPassRecord;

/**
 * Record builders per key list: a function whose body is one object literal of those keys, so
 * every record of a batch gets one hidden class at once (assigning keys one by one was ~0.35 s
 * slower on a million records). The keys come from the peer, so they enter the source only as
 * JSON string literals (which are JS string literals), `__proto__` is refused before (a literal
 * would set the prototype), and the cache is bounded (a peer sending endless key lists gets the
 * slow builder, not endless functions).
 */
const builders = new Map<string, Build>();
const MAX_BUILDERS = 64;
const MAX_BUILDER_KEYS = 256;

function builderOf(keys: string[]): Build {
  const cacheKey = JSON.stringify(keys);
  let build = builders.get(cacheKey);
  if (build) return build;
  if (builders.size >= MAX_BUILDERS || keys.length > MAX_BUILDER_KEYS) {
    return (values) => {
      const r: Record<string, Scalar> = {};
      for (let i = 0; i < keys.length; i++) r[keys[i] as string] = values[i] as Scalar;
      return r as SiPassRecord;
    };
  }
  const body = `return {${keys.map((k, i) => `${JSON.stringify(k)}:v[${i}]`).join(',')}};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: keys only as JSON string literals
  build = new Function('v', body) as Build;
  builders.set(cacheKey, build);
  return build;
}

/** How many builders are compiled (the cache's bound is tested: hostile input must not grow it). */
export function compiledBuilders(): number {
  return builders.size;
}

/** Empties the cache (tests of its bound start from nothing; builders are rebuilt on demand). */
export function forgetBuilders(): void {
  builders.clear();
}

/**
 * Recently cut short strings, by a hash of their length and a few of their characters: a short
 * value seen lately (a first name, a lock type, a workgroup id) is handed out again instead of
 * cut anew. JSON.parse shared such values by interning them all (the cost packing avoids); this
 * shares most repeats for the price of a few character reads, and never grows. Ids are unique
 * per type: never looked up. Measured on the replayed 1M sync: heap 244 -> 214 MiB, fewer
 * strings for the scavenger to copy.
 */
const recent: Array<string | undefined> = new Array<string | undefined>(4096).fill(undefined);
const RECENT_MAX_LENGTH = 12;

function recentString(values: string, from: number, to: number): string {
  const len = to - from;
  if (len > RECENT_MAX_LENGTH) return values.slice(from, to);
  const slot = (len * 7919 + values.charCodeAt(from) * 961 + values.charCodeAt(from + (len >> 1)) * 31 + values.charCodeAt(to - 1)) & 4095;
  const seen = recent[slot];
  // Equal text, checked in place (no string cut for a hit).
  if (seen !== undefined && seen.length === len && values.startsWith(seen, from)) return seen;
  const cut = values.slice(from, to);
  recent[slot] = cut;
  return cut;
}

/** The values of the record being read (reused: no array per record). */
const row: Scalar[] = [];

/**
 * The Batch a packed frame stands for, or the problem that makes it a bad message. Checks what
 * the decoder checks of `items` (string `id` and `name`) and everything the packing promises:
 * distinct keys, whole records, known tags, numbers written as JavaScript writes them.
 */
export function unpackBatch(v: Record<string, unknown>): Batch | string {
  if (v.items !== undefined) return 'message "batch" has both "items" and "values"';
  const keys = v.keys;
  const values = v.values;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string')) {
    return 'message "batch" has a missing or invalid field "keys" (a non-empty array of strings)';
  }
  if (typeof values !== 'string') return 'message "batch" has a missing or invalid field "values" (a string)';
  const keyList: string[] = keys;
  if (new Set(keyList).size !== keyList.length) return 'message "batch" has a repeated key in "keys"';
  if (keyList.includes('__proto__')) return 'message "batch" has the key "__proto__"';
  const idAt = keyList.indexOf('id');
  const nameAt = keyList.indexOf('name');
  if (idAt < 0 || nameAt < 0) return 'message "batch" has "keys" without "id" and "name"';
  const n = keyList.length;
  const build = builderOf(keyList);
  const items: SiPassRecord[] = [];
  const end = values.length;
  let pos = 0;
  for (;;) {
    for (let i = 0; i < n; i++) {
      if (pos > end) return `message "batch" ends in the middle of record ${items.length + 1}`;
      let stop = values.indexOf(SEP, pos);
      if (stop < 0) stop = end;
      const tag = values.charCodeAt(pos);
      let value: Scalar;
      if (tag === TAG_STRING) value = i === idAt ? values.slice(pos + 1, stop) : recentString(values, pos + 1, stop);
      else if (tag === TAG_NUMBER) {
        const text = values.slice(pos + 1, stop);
        value = Number(text);
        // Exactly the text JavaScript writes for a finite number (what packBatch sent): no "0x1", " 1", "NaN".
        if (!Number.isFinite(value) || String(value) !== text) return `message "batch" has a bad number ${JSON.stringify(text)} in record ${items.length + 1}`;
      } else if (stop === pos + 1 && tag === TAG_TRUE) value = true;
      else if (stop === pos + 1 && tag === TAG_FALSE) value = false;
      else if (stop === pos + 1 && tag === TAG_NULL) value = null;
      else return `message "batch" has a bad value ${JSON.stringify(values.slice(pos, Math.min(stop, pos + 20)))} in record ${items.length + 1}`;
      if ((i === idAt || i === nameAt) && typeof value !== 'string') return `message "batch" has a record (${items.length + 1}) whose "id" or "name" is not a string`;
      row[i] = value;
      pos = stop + 1;
    }
    items.push(build(row));
    if (pos > end) break;
  }
  // Any other field stays, as on a batch of items (unknown fields are ignored and kept).
  const { keys: _keys, values: _values, ...rest } = v;
  return { ...rest, items } as unknown as Batch;
}
