import { parseDuration } from '../../core/duration.js';
import { didYouMean } from './didYouMean.js';
import { isMap, isScalar, isSeq, type Node, type YamlSource } from './yamlNodes.js';

/**
 * Tiny validating readers over YAML nodes: each returns the JS value or
 * INVALID after reporting the problem at the node's line and column.
 */
export const INVALID = Symbol('invalid');
export type Checked<T> = T | typeof INVALID;
export type Reader<T> = (src: YamlSource, node: Node | null, where: string) => Checked<T>;

const scalarValue = (src: YamlSource, node: Node | null): unknown => {
  const n = src.deref(node);
  return n && isScalar(n) ? n.value : n === null ? null : INVALID;
};

export const str: Reader<string> = (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number') return String(v);
  src.problem(node, `${where} must be a non-empty string`);
  return INVALID;
};

export const bool: Reader<boolean> = (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'boolean') return v;
  src.problem(node, `${where} must be true or false`);
  return INVALID;
};

export function int(min: number, max: number): Reader<number> {
  return (src, node, where) => {
    const v = scalarValue(src, node);
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    src.problem(node, `${where} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v === INVALID ? '(not a number)' : v)}`);
    return INVALID;
  };
}

export const num: Reader<number> = (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  src.problem(node, `${where} must be a number`);
  return INVALID;
};

/** Any scalar, as written (the Properties tab takes raw input: validation is the role's job, R6). */
export const raw: Reader<unknown> = (src, node) => {
  const n = src.deref(node);
  if (n === null) return null;
  return n.toJSON() as unknown;
};

export const duration: Reader<number> = (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'number' || typeof v === 'string') {
    try {
      return parseDuration(v);
    } catch {
      /* reported below */
    }
  }
  src.problem(node, `${where}: ${JSON.stringify(v === INVALID ? '(not a scalar)' : v)} is not a duration (use e.g. 500ms, 5s, 1m30s)`);
  return INVALID;
};

export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  return (src, node, where) => {
    const v = scalarValue(src, node);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? didYouMean(v, values) : undefined;
    src.problem(node, `${where} must be one of ${values.join(', ')}, got ${JSON.stringify(v === INVALID ? '(not a scalar)' : v)}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    return INVALID;
  };
}

export function list<T>(item: Reader<T>): Reader<T[]> {
  return (src, node, where) => {
    const n = src.deref(node);
    if (!n || !isSeq(n)) {
      src.problem(node, `${where} must be a list`);
      return INVALID;
    }
    const out: T[] = [];
    let bad = false;
    (n.items as Node[]).forEach((x, i) => {
      const v = item(src, x, `${where}[${i}]`);
      if (v === INVALID) bad = true;
      else out.push(v);
    });
    return bad ? INVALID : out;
  };
}

/** A single value or a list of them, always returned as a list. */
export function oneOrMany<T>(item: Reader<T>): Reader<T[]> {
  return (src, node, where) => {
    const n = src.deref(node);
    if (n && isSeq(n)) return list(item)(src, node, where);
    const v = item(src, node, where);
    return v === INVALID ? INVALID : [v];
  };
}

/** A map with free keys, each value read by `value`. */
export function record<T>(value: Reader<T>): Reader<Record<string, T>> {
  return (src, node, where) => {
    const n = src.deref(node);
    if (!n || !isMap(n)) {
      src.problem(node, `${where} must be a map`);
      return INVALID;
    }
    const out: Record<string, T> = {};
    let bad = false;
    for (const e of src.entries(n)) {
      const v = value(src, e.value, `${where}.${e.key}`);
      if (v === INVALID) bad = true;
      else out[e.key] = v;
    }
    return bad ? INVALID : out;
  };
}

export type Fields = Record<string, Reader<unknown>>;

/**
 * A map with known keys: unknown ones are reported with a did-you-mean,
 * missing required ones at the map. Keys starting with "x-" are free (anchors
 * for reuse live there).
 */
export function object<T>(required: Fields, optional: Fields = {}): Reader<T> {
  return (src, node, where) => {
    const n = src.deref(node);
    if (!n || !isMap(n)) {
      src.problem(node, `${where} must be a map`);
      return INVALID;
    }
    const known = [...Object.keys(required), ...Object.keys(optional)];
    const out: Record<string, unknown> = {};
    let bad = false;
    const seen = new Set<string>();
    for (const e of src.entries(n)) {
      seen.add(e.key);
      const reader = required[e.key] ?? optional[e.key];
      if (!reader) {
        if (e.key.startsWith('x-')) continue;
        const hint = didYouMean(e.key, known);
        src.problem(e.keyNode, `unknown key "${e.key}" in ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`);
        bad = true;
        continue;
      }
      const v = reader(src, e.value, `${where}.${e.key}`);
      if (v === INVALID) bad = true;
      else out[e.key] = v;
    }
    for (const k of Object.keys(required)) {
      if (!seen.has(k)) {
        src.problem(n, `${where} is missing "${k}"`);
        bad = true;
      }
    }
    return bad ? INVALID : (out as T);
  };
}
