import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import t from 'tap';
import { parse } from 'yaml';
import { parseDuration } from '../../core/duration.js';
import { fragmentJsonSchema, scenarioJsonSchema } from '../../harness/scenario/jsonSchema.js';
import { STEP_KEYS } from '../../harness/scenario/scenarioSchema.js';
import { DURATION_PATTERN } from '../../harness/scenario/schema.js';
import { writeJsonSchemas } from '../../harness/scenario/writeJsonSchemas.js';
import { fcAssert } from '../helpers/fcRun.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '../..');

/** Every .yaml file under dir, as paths relative to the repository. */
function yamlFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => path.join(dir, f))
    .sort();
}

/** The value an editor's YAML extension validates: the document as JSON, anchors and merge keys resolved. */
const asJson = (file: string): unknown => parse(readFileSync(path.join(root, file), 'utf8'), { merge: true }) as unknown;

// ajv (a devDependency, tests only): a kept, widely used draft-07 validator, the
// same draft VS Code's YAML extension reads. strict: the generated schema must
// use no keyword ajv does not know (strictRequired is off: `oneOf: [{ required: [k] }]` is how "exactly one action" is said).
const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
const scenario: ValidateFunction = ajv.compile(scenarioJsonSchema());
const fragment: ValidateFunction = ajv.compile(fragmentJsonSchema());
const errorsOf = (v: ValidateFunction): string => ajv.errorsText(v.errors);

const bundled = yamlFiles('scenarios').filter((f) => !f.includes(`fragments${path.sep}`));
const fragments = yamlFiles('scenarios/fragments');

t.test('every bundled scenario passes the JSON Schema', async (t) => {
  t.ok(bundled.length >= 40, `found ${bundled.length} scenarios`);
  for (const f of bundled) t.ok(scenario(asJson(f)), `${f}: ${errorsOf(scenario)}`);
});

t.test('every bundled fragment passes the fragment schema, and a fragment with steps fails it', async (t) => {
  t.ok(fragments.length >= 3);
  for (const f of fragments) t.ok(fragment(asJson(f)), `${f}: ${errorsOf(fragment)}`);
  t.notOk(fragment({ plugin: { port: 5645 }, steps: [{ wait: '1s' }] }), 'steps are not a fragment key');
});

t.test('the test fixtures that load pass it too', async (t) => {
  for (const f of [...yamlFiles('test/fixtures/scenarios')]) t.ok(scenario(asJson(f)), `${f}: ${errorsOf(scenario)}`);
});

/** The bad-file fixtures whose fault is the file's shape: the schema rejects each, at the key the loader names. */
const SHAPE_FAULTS: Record<string, RegExp> = {
  'bad-duration.yaml': /\/steps\/0\/wait/,
  'port-out-of-range.yaml': /\/plugin\/port must be <= 65535/,
  'several-problems.yaml': /\/plugin\/port must be >= 1/,
  'unknown-key.yaml': /\/steps\/0\/expect must NOT have additional properties/,
  'wrong-type.yaml': /\/population\/cardholders/,
};
/**
 * The others are not a matter of shape: a YAML syntax error (no document to
 * check), an include that does not exist, an alarm the scenario never
 * defines. `validate` reports those; the schema cannot.
 */
const NOT_SHAPE = ['missing-include.yaml', 'two-roles-unknown-names.yaml', 'undefined-alarm.yaml', 'yaml-syntax.yaml'];

t.test('the bad-file fixtures fail the schema (those that are a matter of shape)', async (t) => {
  const all = yamlFiles('test/fixtures/invalid').map((f) => path.basename(f));
  t.same(all, [...Object.keys(SHAPE_FAULTS), ...NOT_SHAPE].sort(), 'every fixture is classified');
  for (const [name, where] of Object.entries(SHAPE_FAULTS)) {
    t.notOk(scenario(asJson(path.join('test/fixtures/invalid', name))), `${name} fails`);
    t.match(errorsOf(scenario), where, `${name}: ${errorsOf(scenario)}`);
  }
});

t.test('a step: exactly one action, rejects only beside apply, a strict apply without it', async (t) => {
  const ok = (steps: unknown[]): boolean => scenario({ name: 'x', steps });
  t.ok(ok([{ wait: '1s' }, { name: 'titled', manualSync: true }]));
  t.notOk(ok([{}]), 'no action');
  t.notOk(ok([{ wait: '1s', manualSync: true }]), 'two actions');
  t.notOk(ok([{ wiat: '1s' }]), 'unknown key');
  t.notOk(ok([{ manualSync: false }]), 'a flag step only takes true');
  t.ok(ok([{ apply: { port: 'abc' }, rejects: ['port'] }]), 'raw input with rejects');
  t.notOk(ok([{ apply: { port: 'abc' } }]), 'a bad port without rejects');
  t.notOk(ok([{ wait: '1s', rejects: ['port'] }]), 'rejects without apply');
  t.ok(ok([{ fault: { latency: { ms: 200 }, toxicity: 0.5 } }]));
  t.notOk(ok([{ fault: { latency: {}, slicer: {} } }]), 'two faults in one step');
  t.notOk(scenario({ steps: [{ wait: 1 }] }), 'a name, or an include that brings one');
  t.ok(scenario({ include: ['f.yaml'], steps: [{ wait: 1 }] }));
  t.ok(scenario({ name: 'x', 'x-anchors': { any: 'thing' }, steps: [{ wait: '1s' }] }), 'x- keys are free');
  t.notOk(scenario({ name: 'x', steps: [] }), 'steps: [] is refused, as the loader refuses it');
});

t.test('every step the loader reads is in the schema, with the same keys', async (t) => {
  const steps = (scenarioJsonSchema().properties as Record<string, { items: { properties: Record<string, unknown> } }>).steps;
  t.same(Object.keys(steps?.items.properties ?? {}).sort(), [...STEP_KEYS, 'name', 'rejects', 'problems', 'refused', 'role', 'server'].sort());
});

t.test('two roles, two servers: role: only beside a role step, server: only beside a SiPass-side step', async (t) => {
  t.ok(scenario({ name: 'x', roles: { East: { server: 'east', plugin: { port: 5645 } } }, servers: { east: { host: 'e', population: { cardholders: 1 } } }, steps: [{ manualSync: true, role: 'East' }, { stopServer: true, server: 'east' }] }));
  t.notOk(scenario({ name: 'x', steps: [{ wait: 1, role: 'East' }] }), 'role beside wait');
  t.notOk(scenario({ name: 'x', steps: [{ manualSync: true, server: 'east' }] }), 'server beside manualSync');
  t.notOk(scenario({ name: 'x', servers: { east: { host: 'e' } }, steps: [{ wait: 1 }] }), 'a server needs its population');
});

t.test('DURATION_PATTERN accepts exactly what parseDuration accepts', async (t) => {
  const re = new RegExp(DURATION_PATTERN, 'u');
  const parses = (s: string): boolean => {
    try {
      parseDuration(s);
      return true;
    } catch {
      return false;
    }
  };
  for (const s of ['500ms', '5s', '1m30s', '2h', '1d', '250', '1.5s', ' 3m ']) t.ok(re.test(s) && parses(s), s);
  for (const s of ['5 minutes', '', 's', '1m30', '-1s', '1.s']) t.ok(!re.test(s) && !parses(s), s);
  const piece = fc.oneof(fc.stringMatching(/^\d{1,3}(\.\d)?(ms|s|m|h|d)?$/), fc.constantFrom(' ', 'x', '.', 'ms', '-', ''));
  await fcAssert(
    t,
    fc.property(fc.array(piece, { maxLength: 4 }), (pieces) => {
      const s = pieces.join('');
      return re.test(s) === parses(s);
    }),
  );
});

t.test('writeJsonSchemas (npm run build) writes exactly the generated schemas', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'schema-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = await writeJsonSchemas(path.join(dir, 'nested'));
  t.same(files.map((f) => path.basename(f)), ['scenario.schema.json', 'fragment.schema.json']);
  t.same(JSON.parse(readFileSync(files[0]!, 'utf8')), scenarioJsonSchema());
  t.same(JSON.parse(readFileSync(files[1]!, 'utf8')), fragmentJsonSchema());
});
