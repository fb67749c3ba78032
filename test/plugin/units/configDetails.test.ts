// The Properties tab's checks word for word (R2-R6; issue 13 "the wording of errors users read"):
// every reason validateHost and validatePort give, every problem code validateConfig reports and
// the message an operator reads, and how a new Apply merges with the previous one.
import t from 'tap';
import { ApplyRejectedError, problem } from '../../../plugin/config/configProblem.js';
import { DEFAULT_CONFIG, sameSet } from '../../../plugin/config/pluginConfig.js';
import { validateConfig } from '../../../plugin/config/validateConfig.js';
import { validateHost } from '../../../plugin/config/validateHost.js';
import { validatePort } from '../../../plugin/config/validatePort.js';
import { Directory } from '../../../plugin/securitycenter/directory.js';

void t.test('R2: every host reason, and the normalised host', async (t) => {
  const reasons: Array<[unknown, string]> = [
    [42, 'must be a hostname or an IP address'],
    ['', 'must not be empty'],
    ['a b', 'must not contain spaces'],
    ['a\tb', 'must not contain spaces'],
    ['https://sipass', 'is a URL: enter only the hostname or IP address, without a scheme'],
    ['[1.2.3.4]', 'is not a valid IPv6 address'],
    ['[]', 'is not a valid IPv6 address'],
    ['sipass:5645', 'has a port glued to it: put the port in the Port field'],
    ['[::1]:5645', 'has a port glued to it: put the port in the Port field'],
    ['a:b:c:zz', 'is not a valid hostname or IP address'],
    ['1.2.3.256', 'is not a valid IPv4 address'],
    ['1.2.3', 'is not a valid IPv4 address'],
    [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(10)}`, 'is longer than 253 characters'],
    ['-a.example', 'is not a valid hostname (letters, digits and hyphens, dot-separated)'],
    ['a-.example', 'is not a valid hostname (letters, digits and hyphens, dot-separated)'],
    ['a..b', 'is not a valid hostname (letters, digits and hyphens, dot-separated)'],
    [`${'a'.repeat(64)}.example`, 'is not a valid hostname (letters, digits and hyphens, dot-separated)'],
  ];
  for (const [v, reason] of reasons) t.strictSame(validateHost(v), { ok: false, reason }, JSON.stringify(v));
  const ok: Array<[string, string]> = [
    ['[fe80::1]', 'fe80::1'],
    ['::1', '::1'],
    ['10.0.0.1', '10.0.0.1'],
    ['sipass.example.', 'sipass.example.'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
    ['a', 'a'],
    ['x1-y2', 'x1-y2'],
  ];
  for (const [v, host] of ok) t.strictSame(validateHost(v), { ok: true, host }, v);
  const long = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
  t.equal(long.length, 253);
  t.equal(validateHost(long).ok, true, '253 characters is allowed');
  t.equal(validateHost(`${long}.`).ok, true, 'a trailing dot is not counted');
});

void t.test('R3: every port reason', async (t) => {
  const why = 'must be a whole number from 1 to 65535';
  for (const v of ['0x10', '1e3', ' 1', 0, 65536, 1.5, -1, null, true, [1]]) t.strictSame(validatePort(v), { ok: false, reason: why }, JSON.stringify(v));
  t.strictSame(validatePort('65535'), { ok: true, port: 65535 });
  t.strictSame(validatePort('0001'), { ok: true, port: 1 });
});

void t.test('R6: every problem code with the words the operator reads', async (t) => {
  const d = new Directory();
  d.addUser('alice');
  d.addPartition('HQ');
  const r = validateConfig({ host: undefined, port: 'x', alarmRecipients: 'alice', alarmPartitions: ['', 7, 'HQ'], credentialSync: 'yes', colour: 'red' } as never, d);
  t.equal(r.ok, false);
  if (r.ok) return;
  t.strictSame(
    r.problems.map((p) => [p.field, p.code, p.value, p.message]),
    [
      ['host', 'CONFIG_UNKNOWN_FIELD', 'colour', 'unknown Properties field "colour" (fields: host, port, alarmRecipients, alarmPartitions, credentialSync)'],
      ['host', 'CONFIG_HOST_MISSING', undefined, 'Host: nothing is required: enter the hostname or IP address of the SiPass server'],
      ['port', 'CONFIG_PORT_INVALID', 'x', 'Port: "x" must be a whole number from 1 to 65535'],
      ['alarmRecipients', 'CONFIG_NOT_A_LIST', 'alice', 'Alarm recipients: "alice" must be a list of user or user group names'],
      ['alarmPartitions', 'CONFIG_NOT_A_NAME', '', 'Alarm partitions: "" is not a partition name'],
      ['alarmPartitions', 'CONFIG_NOT_A_NAME', 7, 'Alarm partitions: 7 is not a partition name'],
      ['credentialSync', 'CONFIG_NOT_A_BOOLEAN', 'yes', 'Credential sync: "yes" must be true or false'],
    ],
  );
  const bad = validateConfig({ host: 'h', alarmRecipients: ['nobody'] }, d);
  t.equal(bad.ok ? '' : bad.problems[0]?.message, 'Alarm recipients: "nobody" is not a user or user group in Security Center');
  const inval = validateConfig({ host: 'a b' }, d);
  t.strictSame(inval.ok ? null : inval.problems[0], { field: 'host', code: 'CONFIG_HOST_INVALID', value: 'a b', message: 'Host: "a b" must not contain spaces' });
  t.equal(problem('port', 'X', () => 1, 'is odd').message, 'Port: a value that is not text is odd', 'a value JSON cannot show');
  const one = new ApplyRejectedError([problem('host', 'A', 'h', 'is bad')]);
  t.equal(one.message, 'Apply rejected, nothing changed (1 problem):\n  - Host: "h" is bad');
  t.equal(one.code, 'APPLY_REJECTED');
  t.strictSame(one.details, { problems: one.problems });
  const two = new ApplyRejectedError([problem('host', 'A', 'h', 'is bad'), problem('port', 'B', 0, 'is zero')]);
  t.equal(two.message, 'Apply rejected, nothing changed (2 problems):\n  - Host: "h" is bad\n  - Port: 0 is zero');
});

void t.test('R6: an Apply is the previous tab with the changed fields; unset fields keep their value or default', async (t) => {
  const d = new Directory();
  d.addUser('alice');
  const first = validateConfig({ host: 'h', port: null, alarmRecipients: ['alice'] }, d);
  t.strictSame(first, { ok: true, config: { host: 'h', port: 5645, alarmRecipients: ['alice'], alarmPartitions: [], credentialSync: false } }, 'port null: the default');
  if (!first.ok) return;
  const second = validateConfig({ port: '6000', host: undefined, credentialSync: true }, d, first.config);
  t.strictSame(second, { ok: true, config: { host: 'h', port: 6000, alarmRecipients: ['alice'], alarmPartitions: [], credentialSync: true } }, 'an undefined field keeps the previous value');
  t.strictSame(DEFAULT_CONFIG, { port: 5645, alarmRecipients: [], alarmPartitions: [], credentialSync: false });
  t.ok(sameSet(['a', 'b'], ['b', 'a']));
  t.notOk(sameSet(['a', 'b'], ['a']));
  t.notOk(sameSet(['a', 'b'], ['a', 'c']));
  t.ok(sameSet([], []));
});
