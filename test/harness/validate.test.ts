import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadScenario } from '../../harness/scenario/loadScenario.js';
import { ScenarioInvalidError, type ScenarioProblem } from '../../harness/scenario/scenarioProblem.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const invalid = (name: string): string => path.join(here, '../fixtures/invalid', name);

/** Every problem loadScenario reports for a file (it must throw ScenarioInvalidError). */
async function problemsOf(name: string): Promise<ScenarioProblem[]> {
  try {
    await loadScenario(invalid(name));
  } catch (e) {
    if (e instanceof ScenarioInvalidError) return e.problems;
    throw e;
  }
  throw new Error(`${name} loaded without problems`);
}

const at = (p: ScenarioProblem | undefined): string => (p ? `${path.basename(p.file)}:${p.line}:${p.column}` : 'none');

t.test('YAML syntax error: reported where the parser stops, nothing else', async (t) => {
  const ps = await problemsOf('yaml-syntax.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'yaml-syntax.yaml:4:3');
  t.match(ps[0]?.message, /^YAML: Flow map .* end with a \}/);
});

t.test('unknown key: did-you-mean, at the key', async (t) => {
  const ps = await problemsOf('unknown-key.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'unknown-key.yaml:4:29');
  t.equal(ps[0]?.message, 'unknown key "withn" in steps[0].expect (did you mean "within"?)');
});

t.test('wrong type: at the value', async (t) => {
  const ps = await problemsOf('wrong-type.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'wrong-type.yaml:2:28');
  t.equal(ps[0]?.message, 'scenario.population.cardholders must be a whole number from 0 to 10000000, got "many"');
});

t.test('port out of range: plugin.port 70000', async (t) => {
  const ps = await problemsOf('port-out-of-range.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'port-out-of-range.yaml:2:17');
  t.equal(ps[0]?.message, 'scenario.plugin.port must be a whole number from 1 to 65535, got 70000');
});

t.test('unparsable duration: wait 5 minutes', async (t) => {
  const ps = await problemsOf('bad-duration.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'bad-duration.yaml:3:11');
  t.equal(ps[0]?.message, 'steps[0].wait: "5 minutes" is not a duration (use e.g. 500ms, 5s, 1m30s)');
});

t.test('an expectation naming an alarm never defined (a generated AC-1 of 2 is fine)', async (t) => {
  const ps = await problemsOf('undefined-alarm.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'undefined-alarm.yaml:5:5');
  t.match(ps[0]?.message, /^alarm "AC-9" is never defined in this scenario/);
});

t.test('an include of a missing file: reported at the include entry', async (t) => {
  const ps = await problemsOf('missing-include.yaml');
  t.equal(ps.length, 1);
  t.equal(at(ps[0]), 'missing-include.yaml:2:11');
  t.equal(ps[0]?.message, 'include "../nowhere/site.yaml": cannot read the file: ENOENT');
});

t.test('several problems in one file are all reported, in file order', async (t) => {
  const ps = await problemsOf('several-problems.yaml');
  t.same(
    ps.map((p) => `${at(p)} ${p.message}`),
    [
      'several-problems.yaml:3:9 scenario.plugin.port must be a whole number from 1 to 65535, got 0',
      'several-problems.yaml:4:19 scenario.plugin.credentialSync must be true or false',
      'several-problems.yaml:5:21 scenario.server.syncRate must be a number',
      'several-problems.yaml:7:5 unknown step key "wiat" in steps[0] (did you mean "wait"?)',
      'several-problems.yaml:8:22 steps[1].expect.state must be one of unconfigured, connecting, syncing, ready, got "redy" (did you mean "ready"?)',
    ],
  );
});

t.test('the error message carries file:line:column for each problem', async (t) => {
  await t.rejects(loadScenario(invalid('port-out-of-range.yaml')), { code: 'SCENARIO_INVALID', message: /port-out-of-range\.yaml:2:17: scenario\.plugin\.port/ });
});

t.test('every bundled scenario is valid; anchors and merge keys resolve', async (t) => {
  const s = await loadScenario(path.join(here, '../../scenarios/r05-partitions/operator-partition-kept-then-removed.yaml'));
  t.same(s.plugin, { host: '127.0.0.1', port: 5645, alarmRecipients: ['Guards'], alarmPartitions: ['Headquarters', 'Lobby'] });
  const apply = s.steps.find((x) => x.kind === 'apply');
  t.same(apply && apply.kind === 'apply' ? apply.input.alarmPartitions : null, ['Lobby', 'Headquarters']);
});

t.test('a step name does not clobber the name of createUser', async (t) => {
  const s = await loadScenario(path.join(here, '../../scenarios/r04-recipients/group-notifies-flattened-members-once.yaml'));
  const step = s.steps.find((x) => x.kind === 'createUser');
  t.equal(step && step.kind === 'createUser' ? step.name : null, 'frank');
  t.equal(step?.title, 'A user added to a nested group is notified at the next trigger');
});

t.test('two roles, two servers: names that no server or role has are problems at file:line:column', async (t) => {
  const ps = await problemsOf('two-roles-unknown-names.yaml');
  t.same(
    ps.map((p) => `${at(p)} ${p.message}`),
    [
      'two-roles-unknown-names.yaml:5:3 servers: "main" names the scenario\'s own server (the server: section): give this one another name',
      'two-roles-unknown-names.yaml:6:3 servers.west answers to localhost:5645 like the server "main": give it another host or port (a role could not tell them apart)',
      'two-roles-unknown-names.yaml:9:3 roles: "SiPass plugin" is already the scenario\'s role (securityCenter.role)',
      'two-roles-unknown-names.yaml:10:18 roles.SiPass East.server: server "esat" is not defined in this scenario (servers: main, west, east) (did you mean "west"?)',
      'two-roles-unknown-names.yaml:12:5 stopServer: server "weest" is not defined in this scenario (servers: main, west, east) (did you mean "west"?)',
      'two-roles-unknown-names.yaml:14:5 manualSync: role "SiPass Eats" is not defined in this scenario (roles: SiPass plugin, SiPass East) (did you mean "SiPass East"?)',
      'two-roles-unknown-names.yaml:16:5 expect: server "nowhere" is not defined in this scenario (servers: main, west, east)',
    ],
  );
});
