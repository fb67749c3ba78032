import type { Rng } from './rng.js';

/**
 * Mutations of a scenario file's text: line deletions, duplicated and
 * swapped lines, indentation shifts, random characters, swapped and odd
 * values, renamed keys, truncation, YAML constructs (anchors, aliases, merge
 * keys, tags, documents, block scalars), includes that go nowhere or in
 * circles, line endings; and the hostile classes of issue 11: merge and
 * alias fan-out, deep nesting, long alias chains, huge step counts, files
 * over the size cap, includes that leave the scenario root or name devices,
 * FIFOs and folders.
 */

/** Characters that mean something to YAML, and some that mean nothing anywhere. */
const YAML_CHARS = [...':-?,[]{}#&*!|>\'"%@`~ \t\n', '\r', '\u0000', '\u00a0', '\ufeff', '\u2028', 'é', '😀', '\ud800', '0', '9', '.', '='];

const INTERESTING_VALUES = [
  '',
  '~',
  'null',
  'true',
  'no',
  'yes',
  '0',
  '-1',
  '65536',
  '99999999999999999999',
  '1e309',
  '-.inf',
  '.nan',
  '0x10',
  '0o17',
  '1_000',
  '3.5',
  '[]',
  '{}',
  '[a, b]',
  '{ a: 1 }',
  '"quoted: value"',
  "'single'",
  '|',
  '>-',
  '!!binary aGVsbG8=',
  '!!str 5',
  '!!int x',
  '!!map',
  '!custom x',
  '*undefined_alias',
  '&anchor value',
  '&self [*self]',
  '&self { <<: *self }',
  '2m',
  '500ms',
  '1h',
  '-5s',
  '0s',
  '1m30s',
  '5 s',
  '1e3ms',
  'connecting',
  'ready',
  'R99',
  'cardholders',
  'x'.repeat(5000),
  '2026-01-01',
  '12:30:00',
  '<<',
  '= 1',
  '"\\u0000"',
  '"\\ud800"',
];

const YAML_LINES = [
  'x-a: &a { port: 1 }',
  '<<: *a',
  'x-loop: &loop { <<: *loop }',
  'plugin: &p { port: 1, <<: *p }',
  '  - &st { wait: 1s, <<: *st }',
  'x-self: &self [*self]',
  'x-bomb: &b0 [x, x, x, x, x, x, x, x, x, x]',
  'x-bomb1: &b1 [*b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0, *b0]',
  'x-bomb2: &b2 [*b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1, *b1]',
  'x-bomb3: [*b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2, *b2]',
  '---',
  '...',
  '%YAML 1.2',
  '%TAG ! tag:example.com,2000:',
  '? [complex, key]',
  ': value',
  '? |',
  '  block key',
  '- list item at top level',
  'name: a second name',
  'steps:',
  'steps: []',
  'steps: ~',
  '  - wait: 1s',
  '  - expect: { state: ready, within: 5s }',
  '  - raiseAlarm: AC-999',
  '  - expect: { alarm: { alarm: Nope, triggered: true } }',
  'population: { alarmClasses: 10000001 }',
  'population: { cardholders: [ { id: 1 } ] }',
  'plugin: { port: 0 }',
  'server: { port: 70000 }',
  'securityCenter: { role: ~ }',
  'include: fragments/small-site.yaml',
  'include: [., .., nowhere.yaml]',
  'include: []',
  'include: { a: b }',
  'invariants: [nope]',
  'rules: R1',
  'tags: { a: 1 }',
  'seed: -1',
  '"quoted key": 1',
  '? ',
  '!!set { a, b }',
  '&orphan',
  '*orphan',
  '# a comment',
  '\t- tabbed',
  'key: value # trailing comment',
  'key: "unterminated',
  "key: 'unterminated",
  'key: [unclosed',
  'key: {unclosed',
  'key: >',
  '',
];

/**
 * Includes a hostile scenario could name: out of the root by path (.., absolute),
 * through a link the fuzzer plants (leak.yaml -> a canary file outside the root),
 * devices, a FIFO it plants (special/pipe.yaml), a folder. Relative to the root's
 * top and to a rule folder, so every input stays replayable from its seed.
 */
export const HOSTILE_INCLUDES = [
  '/etc/passwd',
  '../../etc/passwd',
  '../../../../../../../../../../etc/passwd',
  '/etc/shadow',
  '/dev/zero',
  '/dev/stdin',
  '/dev/urandom',
  '/proc/self/environ',
  '../outside-secret.yaml',
  '../../outside-secret.yaml',
  'leak.yaml',
  '../leak.yaml',
  'special/pipe.yaml',
  '../special/pipe.yaml',
  'special',
  '../special',
  'fragments/../../outside-secret.yaml',
] as const;

/** A top-level block inserted after the first line (x- keys are free, so the file stays otherwise valid). */
function insertTop(text: string, block: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? `${text}\n${block}` : `${text.slice(0, nl + 1)}${block}\n${text.slice(nl + 1)}`;
}

/** A use of anchor `a` where the loader's readers follow it (or a free x- key, where only the budget sees it). */
const anchorUse = (rng: Rng, a: string): string => rng.pick([`plugin: *${a}`, `population: { <<: *${a} }`, `x-use: *${a}`, `server: { <<: [*${a}, *${a}] }`]);

export type ScenarioMutation = (rng: Rng, text: string, ctx: MutationContext) => string;

export interface MutationContext {
  /** Another bundled file's text, for splicing. */
  other: () => string;
  /** Paths an include may name (existing, missing, cyclic). */
  includeTargets: readonly string[];
}

const lines = (text: string): string[] => text.split('\n');

/** Values on "key: value" lines, as [line, start of value]. */
function valueLines(ls: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  ls.forEach((l, i) => {
    const m = /^(\s*(?:-\s+)?[^\s:#][^:#]*:\s+)(\S.*)$/.exec(l);
    if (m?.[1] !== undefined) out.push([i, m[1].length]);
  });
  return out;
}

function randomChars(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += rng.chance(0.8) ? rng.pick(YAML_CHARS) : String.fromCharCode(rng.int(0x10000));
  return s;
}

export const SCENARIO_MUTATIONS: ReadonlyArray<readonly [number, string, ScenarioMutation]> = [
  [
    4,
    'deleteLine',
    (rng, text) => {
      const ls = lines(text);
      ls.splice(rng.int(ls.length), rng.chance(0.8) ? 1 : rng.range(2, 5));
      return ls.join('\n');
    },
  ],
  [
    3,
    'duplicateLine',
    (rng, text) => {
      const ls = lines(text);
      const i = rng.int(ls.length);
      ls.splice(rng.int(ls.length + 1), 0, ls[i] ?? '');
      return ls.join('\n');
    },
  ],
  [
    2,
    'swapLines',
    (rng, text) => {
      const ls = lines(text);
      const i = rng.int(ls.length);
      const j = rng.chance(0.5) ? Math.min(ls.length - 1, i + 1) : rng.int(ls.length);
      [ls[i], ls[j]] = [ls[j] ?? '', ls[i] ?? ''];
      return ls.join('\n');
    },
  ],
  [
    4,
    'indent',
    (rng, text) => {
      const ls = lines(text);
      const from = rng.int(ls.length);
      const count = rng.chance(0.7) ? 1 : rng.range(2, 6);
      const shift = rng.pick([-4, -2, -1, 1, 2, 4, 0]);
      for (let i = from; i < Math.min(ls.length, from + count); i++) {
        const l = ls[i] ?? '';
        if (shift === 0) ls[i] = `\t${l}`;
        else if (shift > 0) ls[i] = ' '.repeat(shift) + l;
        else ls[i] = l.replace(new RegExp(`^ {1,${-shift}}`), '');
      }
      return ls.join('\n');
    },
  ],
  [
    4,
    'randomChars',
    (rng, text) => {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + randomChars(rng, rng.range(1, 5)) + text.slice(at);
    },
  ],
  [
    2,
    'replaceChar',
    (rng, text) => {
      if (text.length === 0) return text;
      const at = rng.int(text.length);
      return text.slice(0, at) + randomChars(rng, 1) + text.slice(at + 1);
    },
  ],
  [
    4,
    'swapValues',
    (rng, text) => {
      const ls = lines(text);
      const vs = valueLines(ls);
      if (vs.length < 2) return text;
      const [a, aAt] = rng.pick(vs);
      const [b, bAt] = rng.pick(vs);
      const la = ls[a] ?? '';
      const lb = ls[b] ?? '';
      ls[a] = la.slice(0, aAt) + lb.slice(bAt);
      ls[b] = lb.slice(0, bAt) + la.slice(aAt);
      return ls.join('\n');
    },
  ],
  [
    5,
    'oddValue',
    (rng, text) => {
      const ls = lines(text);
      const vs = valueLines(ls);
      if (vs.length === 0) return text;
      const [i, at] = rng.pick(vs);
      ls[i] = (ls[i] ?? '').slice(0, at) + rng.pick(INTERESTING_VALUES);
      return ls.join('\n');
    },
  ],
  [
    2,
    'renameKey',
    (rng, text) => {
      const ls = lines(text);
      const vs = valueLines(ls);
      if (vs.length === 0) return text;
      const [i, at] = rng.pick(vs);
      const l = ls[i] ?? '';
      const keyEnd = l.lastIndexOf(':', at);
      if (keyEnd <= 0) return text;
      const pos = rng.int(keyEnd);
      ls[i] = l.slice(0, pos) + rng.pick(['', 's', 'x', '_', l[pos]?.toUpperCase() ?? '']) + l.slice(pos + 1);
      return ls.join('\n');
    },
  ],
  [3, 'truncate', (rng, text) => text.slice(0, rng.int(text.length + 1))],
  [
    2,
    'deleteRange',
    (rng, text) => {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + text.slice(at + rng.range(1, 40));
    },
  ],
  [
    4,
    'yamlLine',
    (rng, text) => {
      const ls = lines(text);
      const indent = rng.chance(0.6) ? '' : ' '.repeat(rng.pick([1, 2, 4, 6]));
      ls.splice(rng.int(ls.length + 1), 0, indent + rng.pick(YAML_LINES));
      return ls.join('\n');
    },
  ],
  [
    2,
    'include',
    (rng, text, ctx) => {
      const targets = Array.from({ length: rng.range(1, 3) }, () => rng.pick(ctx.includeTargets));
      const line = rng.chance(0.5) ? `include: [${targets.map((t) => JSON.stringify(t)).join(', ')}]` : `include: ${JSON.stringify(targets[0])}`;
      const ls = lines(text).filter((l) => !l.startsWith('include:'));
      ls.splice(rng.int(ls.length + 1), 0, line);
      return ls.join('\n');
    },
  ],
  [
    2,
    'splice',
    (rng, text, ctx) => {
      const a = lines(text);
      const b = lines(ctx.other());
      return [...a.slice(0, rng.int(a.length + 1)), ...b.slice(rng.int(b.length + 1))].join('\n');
    },
  ],
  [
    1,
    'mergeFanOut',
    (rng, text) => {
      // x{i}: &p{i} { <<: [*p{i-1}, *p{i-1}] }: the work doubles per level.
      const levels = rng.range(5, 40);
      const ls = ['x-mf0: &mf0 { port: 1 }'];
      for (let i = 1; i <= levels; i++) ls.push(`x-mf${i}: &mf${i} { <<: [${Array(rng.range(2, 4)).fill(`*mf${i - 1}`).join(', ')}] }`);
      ls.push(anchorUse(rng, `mf${levels}`));
      return insertTop(text, ls.join('\n'));
    },
  ],
  [
    1,
    'aliasFanOut',
    (rng, text) => {
      const fan = rng.range(2, 11);
      const levels = rng.range(3, 13);
      const ls = [`x-af0: &af0 [${Array(fan).fill('lol').join(', ')}]`];
      for (let i = 1; i <= levels; i++) ls.push(`x-af${i}: &af${i} [${Array(fan).fill(`*af${i - 1}`).join(', ')}]`);
      ls.push(rng.pick([`x-use: *af${levels}`, `tags: *af${levels}`, `securityCenter: { users: *af${levels} }`]));
      return insertTop(text, ls.join('\n'));
    },
  ],
  [
    1,
    'aliasChain',
    (rng, text) => {
      const n = rng.pick([50, 98, 99, 100, 101, 500, 3000]);
      const ls = ['x-ch0: &ch0 { port: 1 }'];
      for (let i = 1; i <= n; i++) ls.push(`x-ch${i}: &ch${i} ${rng.chance(0.5) ? `[*ch${i - 1}]` : `{ <<: *ch${i - 1} }`}`);
      ls.push(anchorUse(rng, `ch${n}`));
      return insertTop(text, ls.join('\n'));
    },
  ],
  [
    1,
    'deepNesting',
    (rng, text) => {
      const depth = rng.pick([50, 98, 99, 100, 101, 1000, 5000, 20_000]);
      switch (rng.int(4)) {
        case 0:
          return insertTop(text, `x-deep: ${'['.repeat(depth)}${']'.repeat(depth)}`);
        case 1:
          return insertTop(text, `x-deep: ${'{ a: '.repeat(depth)}1${' }'.repeat(depth)}`);
        case 2:
          return insertTop(text, `x-deep:\n  ${'- '.repeat(depth)}x`);
        default: {
          // Indented maps: depth^2/2 bytes, so mostly the size cap for the deep ones.
          const ls = ['x-deep:'];
          for (let i = 1; i <= Math.min(depth, 2000); i++) ls.push(`${' '.repeat(i + 1)}k${i}:`);
          return insertTop(text, ls.join('\n'));
        }
      }
    },
  ],
  [
    1,
    'manySteps',
    (rng, text) => {
      const kept = lines(text).filter((l) => !/^steps:/.test(l) && !/^\s+-/.test(l));
      if (rng.chance(0.5)) {
        // Aliases of one step: 4 bytes a step, under the size cap, over the step limit.
        const n = rng.pick([9_999, 10_000, 10_001, 12_000]);
        return [...kept, 'x-one: &one { wait: 1s }', `steps: [${Array(n).fill('*one').join(',')}]`].join('\n');
      }
      const n = rng.pick([3_000, 200_000]);
      return [...kept, 'steps:', ...Array<string>(n).fill('  - wait: 1s')].join('\n');
    },
  ],
  [
    1,
    'overSizeCap',
    (rng, text) => {
      const bytes = rng.pick([256 * 1024 + 1, 300 * 1024, 2 * 1024 * 1024]);
      return rng.chance(0.5) ? `${text}\n# ${'x'.repeat(bytes)}` : insertTop(text, `x-big: "${'y'.repeat(bytes)}"`);
    },
  ],
  [
    2,
    'hostileInclude',
    (rng, text) => {
      const targets = Array.from({ length: rng.range(1, 3) }, () => rng.pick(HOSTILE_INCLUDES));
      const ls = lines(text).filter((l) => !l.startsWith('include:'));
      ls.splice(rng.int(Math.min(ls.length, 3) + 1), 0, `include: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`);
      return ls.join('\n');
    },
  ],
  [
    1,
    'lineEndings',
    (rng, text) => {
      switch (rng.int(4)) {
        case 0:
          return text.replace(/\n/g, '\r\n');
        case 1:
          return text.replace(/\n/g, '\r');
        case 2:
          return `\ufeff${text}`;
        default:
          return `${text}\u0000`;
      }
    },
  ],
];

/** Applies 1 to 4 mutations; returns the new text and the names of the mutations. */
export function mutateScenario(rng: Rng, text: string, ctx: MutationContext): { text: string; recipe: string[] } {
  const n = rng.weighted([
    [55, 1],
    [30, 2],
    [10, 3],
    [5, 4],
  ]);
  const recipe: string[] = [];
  let out = text;
  for (let i = 0; i < n; i++) {
    const [, name, mutate] = rng.weighted(SCENARIO_MUTATIONS.map((m) => [m[0], m] as const));
    recipe.push(name);
    out = mutate(rng, out, ctx);
  }
  return { text: out, recipe };
}
