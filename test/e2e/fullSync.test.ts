import t from 'tap';
import { SIPASS_TYPES } from '../../protocol/sipassTypes.js';
import { SiteDigest } from '../../protocol/siteDigest.js';
import { startTestbench } from '../../testbench.js';

// Issue 2: a role syncs a generated site of 50,000 entities over loopback TCP and SC then equals it.
t.test('a 50,000-entity site syncs completely: per-type counts and content digest match', async (t) => {
  const population = {
    seed: 11,
    alarmClasses: 40,
    cardholders: 30_000,
    credentials: 9_000,
    workgroups: 200,
    doorsets: 5_000,
    banks: 60,
    apbAreas: 300,
    areas: 400,
    units: 4_900,
    eventTypes: 100,
  };
  const total = Object.entries(population).filter(([k]) => k !== 'seed').reduce((n, [, v]) => n + v, 0);
  t.equal(total, 50_000);
  const tb = await startTestbench({ population, config: { credentialSync: true } });
  t.teardown(() => tb.close());
  const snap = await tb.role.waitFor('ready', 60_000);
  for (const type of SIPASS_TYPES) {
    t.equal(tb.role.entities.sourceCount(type), population[type], `${type}: SC holds every SiPass entity`);
  }
  // The digest the role computed over what SC holds equals one computed here over the site.
  const d = new SiteDigest();
  for (const type of SIPASS_TYPES) for (const r of tb.server.site.entities(type)) d.add(type, r);
  t.equal(snap.digest, d.toString(), 'content digest equals the site');
  t.equal(snap.serverDigest, d.toString(), 'and equals what the server sent at syncEnd');
  // R8 mapping.
  t.equal(snap.counts.accessControlUnit, 4_900);
  t.equal(snap.counts.intrusionUnit, 4_900, 'a unit becomes two SC entities');
  t.equal(snap.counts.cardholderGroup, 50, 'only visitor workgroups (one in four) map');
  t.equal(snap.counts.credential, 9_000, 'credentials dealt round-robin: each is a first credential here');
  t.equal(snap.counts.alarm, 40);
  t.equal(snap.counts.customEvent, 100);
  t.equal(snap.progress?.done, 50_000, 'progress ends at the announced total');
  t.equal(snap.progress?.total, 50_000);
});

t.test('only a cardholder\'s first credential maps, and only with credential sync on', async (t) => {
  const tb = await startTestbench({ population: { seed: 2, cardholders: 10, credentials: 25 } });
  t.teardown(() => tb.close());
  let snap = await tb.role.waitFor('ready', 20_000);
  t.equal(snap.counts.credential, 0, 'credential sync is off unless enabled');
  t.equal(tb.role.entities.sourceCount('credentials'), 0);
  tb.role.apply({ credentialSync: true });
  await new Promise((r) => setTimeout(r, 50));
  snap = await tb.role.waitFor('ready', 20_000);
  t.equal(tb.role.entities.sourceCount('credentials'), 25, 'all credentials synced');
  t.equal(snap.counts.credential, 10, 'one SC credential per cardholder: the first');
});
