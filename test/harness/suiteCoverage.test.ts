import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { scenarioJsonSchema } from '../../harness/scenario/jsonSchema.js';
import { parse } from 'yaml';
import type { JsonSchema } from '../../harness/scenario/schema.js';

// Issue 12 items 6 and 8: every step and expectation key of the format is used by a bundled
// scenario and documented in docs/scenarios.md, so none is a key nobody ever ran.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');
const docs = readFileSync(path.join(root, 'docs/scenarios.md'), 'utf8');
const files = readdirSync(path.join(root, 'scenarios'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml') && !f.startsWith(`fragments${path.sep}`) && f !== 'default-site.yaml')
  .sort();

const props = (s: JsonSchema | undefined): Record<string, JsonSchema> => (s?.properties as Record<string, JsonSchema> | undefined) ?? {};
const schema = scenarioJsonSchema();
const stepSchema = (props(schema).steps?.items ?? {}) as JsonSchema;

/** Key paths of a map schema, two levels deep (`progress`, `progress.eta`); records (free keys) stop there. */
function keyPaths(s: JsonSchema | undefined, prefix = '', depth = 0): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(props(s))) {
    out.push(prefix + k);
    if (depth < 1) out.push(...keyPaths(v, `${prefix}${k}.`, depth + 1));
  }
  return out;
}

/** Key paths a value uses, the same two levels deep. */
function usedPaths(v: unknown, prefix = '', depth = 0, into = new Set<string>()): Set<string> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return into;
  for (const [k, x] of Object.entries(v)) {
    into.add(prefix + k);
    if (depth < 1) usedPaths(x, `${prefix}${k}.`, depth + 1, into);
  }
  return into;
}

type Doc = { rules?: string | string[]; include?: string | string[]; server?: unknown; securityCenter?: unknown; steps?: Array<Record<string, unknown>> };
/** The file as plain data (cheap: no loader, whose checks other tests cover), with what it includes. */
function read(file: string): Doc[] {
  const doc = parse(readFileSync(file, 'utf8'), { merge: true }) as Doc;
  const includes = doc.include === undefined ? [] : Array.isArray(doc.include) ? doc.include : [doc.include];
  return [doc, ...includes.flatMap((inc) => read(path.resolve(path.dirname(file), inc)))];
}

t.test('the bundled suite: at least 70 scenarios, each naming its rules', async (t) => {
  t.ok(files.length >= 70, `${files.length} scenarios`);
  const stepKeys = new Set<string>();
  const expectKeys = new Set<string>();
  const topKeys = new Set<string>();
  for (const f of files) {
    const docs = read(path.join(root, 'scenarios', f));
    const [doc] = docs;
    t.ok(doc?.rules !== undefined && doc.rules.length > 0, `${f} names its rules`);
    for (const d of docs) for (const k of ['server', 'securityCenter'] as const) for (const p of usedPaths(d[k], `${k}.`, 1)) topKeys.add(p);
    for (const step of doc?.steps ?? []) {
      for (const k of Object.keys(step)) stepKeys.add(k);
      if (step.expect) usedPaths(step.expect, '', 0, expectKeys);
    }
  }
  // `apply`'s and `fault`'s keys are a Properties tab and a fault's options: docs/scenarios.md and reliability.md list them.
  const steps = Object.keys(props(stepSchema));
  t.same(steps.filter((k) => !stepKeys.has(k)), [], 'every step key is used by a bundled scenario');
  const expectations = keyPaths(props(stepSchema).expect);
  t.same(expectations.filter((k) => !expectKeys.has(k)), [], 'every expectation key (two levels deep) is used by a bundled scenario');
  const serverAndSc = [...keyPaths(props(schema).server, 'server.', 1), ...keyPaths(props(schema).securityCenter, 'securityCenter.', 1)];
  t.same(serverAndSc.filter((k) => !topKeys.has(k)), [], 'every server and securityCenter key is used by a bundled scenario');

  // Written as `key` in prose or as key: in an example (after a space, `{`, `,` or a backtick).
  const documented = (key: string): boolean => docs.includes('`' + key + '`') || new RegExp('[\\s{,`]' + key + ':').test(docs);
  t.same(steps.filter((k) => !documented(k)), [], 'every step key is in docs/scenarios.md');
  t.same(expectations.filter((k) => !documented(k.split('.').pop() ?? k)), [], 'every expectation key is in docs/scenarios.md');
  t.same(Object.keys(props(schema)).filter((k) => !documented(k)), [], 'every top-level key is in docs/scenarios.md');
});
