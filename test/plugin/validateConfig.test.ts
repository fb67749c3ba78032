import t from 'tap';
import { ApplyRejectedError } from '../../plugin/config/configProblem.js';
import { validateHost } from '../../plugin/config/validateHost.js';
import { validatePort } from '../../plugin/config/validatePort.js';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';

t.test('R2 host: hostnames and IP literals accepted; the rest rejected with a reason', async (t) => {
  for (const h of ['sipass01', 'sipass.corp.example', '127.0.0.1', '::1', '[::1]', 'fe80::1', 'a-b.c']) t.ok(validateHost(h).ok, h);
  t.equal((validateHost('[::1]') as { host: string }).host, '::1', 'brackets removed');
  for (const h of ['', 'a b', 'http://sipass', 'sipass:5645', '[::1]:5645', '999.1.1.1', '-bad.example', 'under_score']) t.notOk(validateHost(h).ok, JSON.stringify(h));
});

t.test('R3 port: 1..65535 and its decimal string; the rest rejected', async (t) => {
  t.same(validatePort('5645'), { ok: true, port: 5645 });
  t.same(validatePort(1), { ok: true, port: 1 });
  t.same(validatePort(65535), { ok: true, port: 65535 });
  for (const p of ['5645.5', '0', '65536', '-1', 'abc', '', ' 5645', 5645.5, 0, null]) t.notOk(validatePort(p).ok, JSON.stringify(p));
});

t.test('R6: an Apply with three bad fields lists all three and changes nothing', async (t) => {
  const sc = new SecurityCenter();
  sc.directory.addUser('alice');
  sc.directory.addPartition('HQ');
  const role = createPluginRole(sc, 'SiPass plugin');
  t.teardown(() => role.stop());
  t.throws(() => role.apply({ port: 5645 }), { code: 'APPLY_REJECTED' }, 'host is required');
  t.equal(role.state, 'unconfigured');
  // A first valid Apply (nothing listens on port 1 of loopback: the role just retries).
  role.apply({ host: '127.0.0.1', port: 1, alarmRecipients: ['alice'], alarmPartitions: ['HQ'] });
  const before = role.snapshot();
  try {
    role.apply({ host: 'http://x', port: '65536', alarmRecipients: ['alice', 'mallory'], alarmPartitions: ['Nowhere'] });
    t.fail('should be rejected');
  } catch (e) {
    t.ok(e instanceof ApplyRejectedError);
    const err = e as ApplyRejectedError;
    t.same(err.problems.map((p) => p.field).sort(), ['alarmPartitions', 'alarmRecipients', 'host', 'port']);
    t.match(err.message, 'Host: "http://x" is a URL');
    t.match(err.message, 'Port: "65536" must be a whole number from 1 to 65535');
    t.match(err.message, 'Alarm recipients: "mallory" is not a user or user group');
    t.match(err.message, 'Alarm partitions: "Nowhere" is not a partition');
  }
  t.same(role.config, before.config, 'previous configuration untouched');
  t.equal(role.state, before.state);
});

t.test('R3: port left unset means 5645; R1: configuring a missing role names it', async (t) => {
  const sc = new SecurityCenter();
  const role = createPluginRole(sc, 'SiPass plugin');
  t.teardown(() => role.stop());
  t.equal(sc.configureRole('SiPass plugin', { host: '127.0.0.1' }).port, 5645);
  t.throws(() => sc.configureRole('SiPass 2', { host: '127.0.0.1' }), { code: 'ROLE_NOT_FOUND', message: /"SiPass 2" does not exist/ });
});

t.test(
  'an unknown partition has its own code, an unknown recipient its own (issue 13; ' +
    'break: report every unknown name as CONFIG_UNKNOWN_RECIPIENT -> the partition\'s code is wrong)',
  async (t) => {
    const sc = new SecurityCenter();
    sc.directory.addUser('alice');
    sc.directory.addPartition('HQ');
    const role = createPluginRole(sc, 'SiPass plugin');
    t.teardown(() => role.stop());
    const err = t.throws(() => role.apply({ host: '127.0.0.1', alarmRecipients: ['HQ'], alarmPartitions: ['alice', 'HQ', 'HQ'] })) as ApplyRejectedError;
    t.strictSame(
      err.problems.map((p) => [p.field, p.code, p.value]),
      [
        ['alarmRecipients', 'CONFIG_UNKNOWN_RECIPIENT', 'HQ'],
        ['alarmPartitions', 'CONFIG_UNKNOWN_PARTITION', 'alice'],
      ],
    );
    t.strictSame(role.apply({ host: '127.0.0.1', alarmRecipients: ['alice', 'alice'], alarmPartitions: ['HQ', 'HQ'] }).alarmPartitions, ['HQ'], 'a name given twice is kept once');
  },
);

t.test(
  'R2 host: each pattern is judged on the whole value, not a part of it; a trailing dot is dropped before the labels are checked ' +
    '(breaks: a `^` or `$` dropped from a pattern, the trailing dot cut wrong -> the reason, or the verdict, changes)',
  async (t) => {
    const INVALID = 'is not a valid hostname or IP address';
    const GLUED = 'has a port glued to it: put the port in the Port field';
    const cases: Array<[string, { ok: true; host: string } | { ok: false; reason: string }]> = [
      ['1http://h', { ok: false, reason: INVALID }], // a scheme starts the value, with a letter
      ['x[::1]', { ok: false, reason: INVALID }], // brackets around the whole value only
      ['x[::1]:5645', { ok: false, reason: INVALID }],
      ['[::1]:5645x', { ok: false, reason: INVALID }],
      ['[::1]:5645', { ok: false, reason: GLUED }],
      ['a:b:80', { ok: false, reason: INVALID }],
      ['host:80x', { ok: false, reason: INVALID }],
      ['host:80', { ok: false, reason: GLUED }],
      ['1.2.3.4x', { ok: true, host: '1.2.3.4x' }], // digits and dots only make an IPv4 literal
      ['1.2.3.400', { ok: false, reason: 'is not a valid IPv4 address' }],
      ['a-.', { ok: false, reason: 'is not a valid hostname (letters, digits and hyphens, dot-separated)' }],
      ['sipass.', { ok: true, host: 'sipass.' }],
    ];
    for (const [value, verdict] of cases) t.strictSame(validateHost(value), verdict, value);
  },
);
