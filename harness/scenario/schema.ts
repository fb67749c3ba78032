import { parseDuration } from '../../core/duration.js';
import { didYouMean } from './didYouMean.js';
import { isMap, isScalar, isSeq, type Node, type YamlSource } from './yamlNodes.js';

/**
 * Tiny validating readers over YAML nodes: each returns the JS value or
 * INVALID after reporting the problem at the node's line and column.
 *
 * Every reader also carries the JSON Schema (draft-07) of what it accepts, so
 * the published schema (jsonSchema.ts) is built from the very readers the
 * loader runs: one truth. A reader written by hand says its schema with
 * `reader(schema, fn)`; the combinators below compose theirs.
 */
export const INVALID = Symbol('invalid');
export type Checked<T> = T | typeof INVALID;

/** A JSON Schema fragment (draft-07), as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

export type ReadFn<T> = (src: YamlSource, node: Node | null, where: string) => Checked<T>;

export interface Reader<T> extends ReadFn<T> {
  /** The JSON Schema of every value this reader accepts (it may accept less: see jsonSchema.ts). */
  readonly schema: JsonSchema;
}

/** A reader with the JSON Schema of what it accepts. */
export function reader<T>(schema: JsonSchema, read: ReadFn<T>): Reader<T> {
  return Object.assign(((src, node, where) => read(src, node, where)) as ReadFn<T>, { schema });
}

/** The same reader, its schema carrying a description (editors show it on hover and completion). */
export function describe<T>(r: Reader<T>, description: string): Reader<T> {
  return reader({ ...r.schema, description }, r);
}

/**
 * The written forms parseDuration accepts (core/duration.ts): a number of
 * milliseconds, or units added up ("1m30s"). test/harness/jsonSchema.test.ts
 * checks the two agree.
 */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h|d))+)\\s*$';

const scalarValue = (src: YamlSource, node: Node | null): unknown => {
  const n = src.deref(node);
  return n && isScalar(n) ? n.value : n === null ? null : INVALID;
};

export const str: Reader<string> = reader({ type: ['string', 'number'], minLength: 1 }, (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number') return String(v);
  src.problem(node, `${where} must be a non-empty string`);
  return INVALID;
});

export const bool: Reader<boolean> = reader({ type: 'boolean' }, (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'boolean') return v;
  src.problem(node, `${where} must be true or false`);
  return INVALID;
});

export function int(min: number, max: number): Reader<number> {
  return reader({ type: 'integer', minimum: min, maximum: max }, (src, node, where) => {
    const v = scalarValue(src, node);
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    src.problem(node, `${where} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v === INVALID ? '(not a number)' : v)}`);
    return INVALID;
  });
}

export const num: Reader<number> = reader({ type: 'number' }, (src, node, where) => {
  const v = scalarValue(src, node);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  src.problem(node, `${where} must be a number`);
  return INVALID;
});

/** Any value, as written (the Properties tab takes raw input: validation is the role's job, R6). */
export const raw: Reader<unknown> = reader({}, (src, node) => {
  const n = src.deref(node);
  if (n === null) return null;
  return n.toJSON() as unknown;
});

export const duration: Reader<number> = reader(
  { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: DURATION_PATTERN }], description: 'A duration: 500ms, 5s, 1m30s, 2h, 1d (a bare number is milliseconds)' },
  (src, node, where) => {
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
  },
);

export function oneOf<T extends string>(values: readonly T[]): Reader<T> {
  return reader({ enum: [...values] }, (src, node, where) => {
    const v = scalarValue(src, node);
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const hint = typeof v === 'string' ? didYouMean(v, values) : undefined;
    src.problem(node, `${where} must be one of ${values.join(', ')}, got ${JSON.stringify(v === INVALID ? '(not a scalar)' : v)}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    return INVALID;
  });
}

export function list<T>(item: Reader<T>): Reader<T[]> {
  return reader({ type: 'array', items: item.schema }, (src, node, where) => {
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
  });
}

/** A single value or a list of them, always returned as a list. */
export function oneOrMany<T>(item: Reader<T>): Reader<T[]> {
  const many = list(item);
  return reader({ anyOf: [item.schema, many.schema] }, (src, node, where) => {
    const n = src.deref(node);
    if (n && isSeq(n)) return many(src, node, where);
    const v = item(src, node, where);
    return v === INVALID ? INVALID : [v];
  });
}

/** A map with free keys, each value read by `value`. */
export function record<T>(value: Reader<T>): Reader<Record<string, T>> {
  return reader({ type: 'object', additionalProperties: value.schema }, (src, node, where) => {
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
  });
}

export type Fields = Record<string, Reader<unknown>>;

/** Keys starting with "x-" are free everywhere a map has known keys (anchors for reuse live there). */
export const FREE_KEY_PATTERN = '^x-';

/** The JSON Schema of a map with known keys (object() below, and readers that check such a map themselves). */
export function objectSchema(required: Fields, optional: Fields = {}): JsonSchema {
  const properties = Object.fromEntries(Object.entries({ ...optional, ...required }).map(([k, r]) => [k, r.schema]));
  return {
    type: 'object',
    properties,
    ...(Object.keys(required).length > 0 ? { required: Object.keys(required) } : {}),
    patternProperties: { [FREE_KEY_PATTERN]: {} },
    additionalProperties: false,
  };
}

/**
 * A map with known keys: unknown ones are reported with a did-you-mean,
 * missing required ones at the map. Keys starting with "x-" are free (anchors
 * for reuse live there).
 */
export function object<T>(required: Fields, optional: Fields = {}): Reader<T> {
  return reader(objectSchema(required, optional), (src, node, where) => {
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
      const read = required[e.key] ?? optional[e.key];
      if (!read) {
        if (e.key.startsWith('x-')) continue;
        const hint = didYouMean(e.key, known);
        src.problem(e.keyNode, `unknown key "${e.key}" in ${where}${hint ? ` (did you mean "${hint}"?)` : ''}`);
        bad = true;
        continue;
      }
      const v = read(src, e.value, `${where}.${e.key}`);
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
  });
}
