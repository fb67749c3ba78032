import type { SiPassRecord, SiPassType } from './sipassTypes.js';

/** A key sequence and what hashing needs of it, computed once per sequence. */
interface Shape {
  keys: string[];
  sorted: string[];
  /** order[j]: where sorted[j] is in keys. */
  order: number[];
  /** "\u0001key\u0002" per sorted key: the canonical text's piece before each value. */
  pieces: string[];
  /** The pieces' UTF-16 code units end to end, and where each piece ends in them (hashed from a typed array). */
  codes: Uint16Array;
  ends: Uint32Array;
}

// Records of one type share their key order, so the sorted order is cached per
// key sequence instead of sorting a million times (a hot path of a large sync).
// Shapes are found by their first key and length, then compared key by key.
const shapes = new Map<string, Shape[]>();
// Anything JSON.stringify would escape (quotes, backslash, controls, lone surrogates) takes the slow path.
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function shapeOf(keys: string[]): Shape {
  const bucketKey = `${keys.length}:${keys[0] ?? ''}`;
  let bucket = shapes.get(bucketKey);
  if (bucket) {
    for (const shape of bucket) {
      let same = true;
      for (let i = 0; i < keys.length; i++) {
        if (shape.keys[i] !== keys[i]) {
          same = false;
          break;
        }
      }
      if (same) return shape;
    }
  } else {
    bucket = [];
    if (shapes.size < 1024) shapes.set(bucketKey, bucket);
  }
  const sorted = [...keys].sort();
  const pieces = sorted.map((k) => `\u0001${k}\u0002`);
  const codes = codeUnits(pieces.join(''));
  const ends = new Uint32Array(pieces.length);
  let at = 0;
  pieces.forEach((p, j) => (ends[j] = at += p.length));
  const shape: Shape = { keys, sorted, order: sorted.map((k) => keys.indexOf(k)), pieces, codes, ends };
  if (bucket.length < 16) bucket.push(shape);
  return shape;
}

function codeUnits(s: string): Uint16Array {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function sortedKeys(r: SiPassRecord): string[] {
  return shapeOf(Object.keys(r)).sorted;
}

/** JSON text of a scalar, without JSON.stringify's cost for the plain strings most fields are. */
function scalarJson(v: unknown): string {
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
  return JSON.stringify(v) ?? 'null';
}

/** Canonical text of a record: keys sorted, so field order on the wire does not matter. */
export function canonicalRecord(type: SiPassType, r: SiPassRecord): string {
  let s: string = type;
  for (const k of sortedKeys(r)) s += `\u0001${k}\u0002${scalarJson(r[k])}`;
  return s;
}

const FNV_PRIME = 0x01000193;

/** Both lanes after hashing a type name (every record's text starts with it), once per type. */
const typeLanes = new Map<string, { a: number; b: number }>();

function lanesOfType(type: string): { a: number; b: number } {
  let lanes = typeLanes.get(type);
  if (!lanes) {
    laneA = 0x811c9dc5;
    laneB = 0x050c5d1f;
    hashText(type);
    lanes = { a: laneA, b: laneB };
    typeLanes.set(type, lanes);
  }
  return lanes;
}

// The two FNV-1a lanes of the record being hashed, and its values in key order: module state,
// not objects per record, because the digest runs once per entity on both sides of a sync.
let laneA = 0;
let laneB = 0;
const values: unknown[] = [];
/** The shape the previous record had: records of one batch share it. */
let lastShape: Shape | undefined;

function hashText(s: string): void {
  let a = laneA;
  let b = laneB;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, FNV_PRIME);
    b = Math.imul(b ^ c, FNV_PRIME);
  }
  laneA = a;
  laneB = b;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const TRUE = codeUnits('true');
const FALSE = codeUnits('false');
const NULL = codeUnits('null');
/** The digits of an integer being hashed, least significant first (a safe integer has at most 16). */
const digits = new Uint8Array(16);

/**
 * Reads the record's values into `values` (insertion order) and returns its shape: compared
 * with the previous record's key by key during the same for-in, so a batch of records of one
 * shape allocates no key array; any other record goes through Object.keys and the shape cache.
 */
function readRecord(r: SiPassRecord): Shape {
  const last = lastShape;
  let n = 0;
  let same = last !== undefined;
  for (const k in r) {
    if (same && last?.keys[n] !== k) same = false;
    values[n++] = r[k];
  }
  if (same && last && n === last.keys.length) return last;
  const keys = Object.keys(r);
  for (let i = 0; i < keys.length; i++) values[i] = r[keys[i] as string];
  lastShape = shapeOf(keys);
  return lastShape;
}

/**
 * Both FNV-1a lanes of canonicalRecord(type, r) into laneA/laneB, computed piece by piece
 * without building the text (no string per entity: less garbage on a million-entity sync).
 * Equal to hashing the canonical text (test/protocol/siteDigest.test.ts, for any record).
 *
 * One loop, the lanes in locals (the digest was 10-12% of the role's sync profile): the key
 * pieces from the shape's code units, then each value as JSON.stringify writes it -- a string
 * without anything to escape between quotes, a safe integer digit by digit, true/false/null as
 * their words. Anything else (an escape, a fraction, a huge number) is hashed from the lanes
 * before the value through scalarJson (rare).
 */
function hashRecord(type: SiPassType, r: SiPassRecord): void {
  const shape = readRecord(r);
  const start = lanesOfType(type);
  let a = start.a;
  let b = start.b;
  const codes = shape.codes;
  const ends = shape.ends;
  const order = shape.order;
  let from = 0;
  for (let j = 0; j < ends.length; j++) {
    const to = ends[j] as number;
    for (let i = from; i < to; i++) {
      const c = codes[i] as number;
      a = Math.imul(a ^ c, FNV_PRIME);
      b = Math.imul(b ^ c, FNV_PRIME);
    }
    from = to;
    const v = values[order[j] as number];
    const a0 = a;
    const b0 = b;
    let word: Uint16Array | undefined;
    let plain = true;
    if (typeof v === 'string') {
      a = Math.imul(a ^ QUOTE, FNV_PRIME);
      b = Math.imul(b ^ QUOTE, FNV_PRIME);
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c < 0x20 || c === QUOTE || c === BACKSLASH || (c >= 0xd800 && c <= 0xdfff)) {
          plain = false;
          break;
        }
        a = Math.imul(a ^ c, FNV_PRIME);
        b = Math.imul(b ^ c, FNV_PRIME);
      }
      a = Math.imul(a ^ QUOTE, FNV_PRIME);
      b = Math.imul(b ^ QUOTE, FNV_PRIME);
    } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
      // JSON.stringify(-0) is "0": a sign only for a negative non-zero value.
      let n = v;
      if (n < 0) {
        a = Math.imul(a ^ MINUS, FNV_PRIME);
        b = Math.imul(b ^ MINUS, FNV_PRIME);
        n = -n;
      }
      let k = 0;
      do {
        digits[k++] = n % 10;
        n = Math.floor(n / 10);
      } while (n > 0);
      while (k > 0) {
        const c = DIGIT_0 + (digits[--k] as number);
        a = Math.imul(a ^ c, FNV_PRIME);
        b = Math.imul(b ^ c, FNV_PRIME);
      }
    } else if (v === true) word = TRUE;
    else if (v === false) word = FALSE;
    else if (v === null) word = NULL;
    else plain = false;
    if (word !== undefined) {
      for (let i = 0; i < word.length; i++) {
        const c = word[i] as number;
        a = Math.imul(a ^ c, FNV_PRIME);
        b = Math.imul(b ^ c, FNV_PRIME);
      }
    }
    if (!plain) {
      laneA = a0;
      laneB = b0;
      hashText(scalarJson(v));
      a = laneA;
      b = laneB;
    }
  }
  laneA = a;
  laneB = b;
}

/**
 * An order-independent digest of a set of entities: two 32-bit lanes of
 * per-entity hashes, summed. Both sides compute it (the server over what it
 * sent, the role over what its Security Center holds), so "SC equals the
 * site" is one string comparison. Removing an entity subtracts its hash,
 * which keeps the role's digest current without rescanning.
 */
export class SiteDigest {
  private a = 0;
  private b = 0;
  count = 0;

  add(type: SiPassType, r: SiPassRecord): void {
    hashRecord(type, r);
    this.a = (this.a + (laneA >>> 0)) >>> 0;
    this.b = (this.b + (laneB >>> 0)) >>> 0;
    this.count++;
  }

  remove(type: SiPassType, r: SiPassRecord): void {
    hashRecord(type, r);
    this.a = (this.a - (laneA >>> 0)) >>> 0;
    this.b = (this.b - (laneB >>> 0)) >>> 0;
    this.count--;
  }

  toString(): string {
    return `${this.count.toString(16)}-${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}
