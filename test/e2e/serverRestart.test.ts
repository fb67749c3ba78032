import t from 'tap';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SiPassServer } from '../../simulator/sipassServer.js';

// Issue 2: server restarted with a changed population; the role reconnects and converges.
t.test('server restart with a changed site: adds, updates (same SC id), deletes, no duplicates', async (t) => {
  const before = {
    seed: 5,
    alarmClasses: [
      { id: 'AC-A', name: 'Door forced', priority: 10 },
      { id: 'AC-B', name: 'Tamper', priority: 5 },
    ],
    cardholders: [
      { id: 'CH-1', name: 'Anna Adler' },
      { id: 'CH-2', name: 'Ben Bauer' },
      { id: 'CH-3', name: 'Chloe Costa' },
    ],
    units: 3,
  };
  const first = new SiPassServer({ population: before, port: 0, epoch: 'life-1' });
  const { port } = await first.listen();
  const sc = new SecurityCenter();
  sc.directory.addUser('alice');
  sc.directory.addPartition('HQ');
  const role = createPluginRole(sc, 'SiPass plugin', { backoff: { baseMs: 20, maxMs: 100 } });
  t.teardown(() => role.stop());
  role.apply({ host: '127.0.0.1', port, alarmRecipients: ['alice'], alarmPartitions: ['HQ'] });
  await role.waitFor('ready', 10_000);
  const ben = role.entities.scEntitiesOf('cardholders', 'CH-2')[0];
  const alarmB = role.entities.alarmFor('AC-B');
  t.ok(ben && alarmB);
  sc.addAlarmRecipient('AC-B', 'alice'); // an operator edit that must survive
  await first.stop();

  const after = {
    seed: 5,
    alarmClasses: [
      { id: 'AC-B', name: 'Reader tamper', priority: 7 },
      { id: 'AC-C', name: 'Duress', priority: 1 },
    ],
    cardholders: [
      { id: 'CH-2', name: 'Ben Bauer-Meyer' },
      { id: 'CH-3', name: 'Chloe Costa' },
      { id: 'CH-4', name: 'Dora Dubois' },
    ],
    units: 2,
  };
  const second = new SiPassServer({ population: after, port, epoch: 'life-2' });
  await second.listen();
  t.teardown(() => second.stop());
  await role.waitFor('connecting', 10_000);
  const snap = await role.waitFor('ready', 10_000);

  t.same(
    [...role.entities.entities('cardholder')].map((e) => e.sipassId).sort(),
    ['CH-2', 'CH-3', 'CH-4'],
    'deleted CH-1 is gone, CH-4 added, nothing duplicated',
  );
  const ben2 = role.entities.scEntitiesOf('cardholders', 'CH-2')[0];
  t.equal(ben2?.id, ben?.id, 'renamed entity keeps its SC id');
  t.equal(ben2?.name, 'Ben Bauer-Meyer', 'and is updated in place');
  t.equal(snap.counts.accessControlUnit, 2);
  t.equal(snap.counts.intrusionUnit, 2);
  t.equal(snap.counts.alarm, 2);
  t.notOk(sc.alarms.find('AC-A'), 'alarm of the deleted alarm class removed');
  const b = role.entities.alarmFor('AC-B');
  t.equal(b?.id, alarmB?.id, 'alarm entity kept its SC id');
  t.equal(b?.name, 'Reader tamper');
  t.equal(b?.priority, 7);
  t.same(b?.recipients, ['alice'], 'recipients stay');
  t.same(b?.partitions, ['HQ']);
  t.equal(snap.digest, snap.serverDigest, 'SC equals the new site');
});
