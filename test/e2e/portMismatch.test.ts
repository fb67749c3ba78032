import net from 'node:net';
import t from 'tap';
import { SecurityCenter } from '../../plugin/securitycenter/securityCenter.js';
import { createPluginRole } from '../../plugin/createPluginRole.js';
import { SiPassServer } from '../../simulator/sipassServer.js';

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// Issue 2 / R3: role port != server port keeps the role connecting, refused, retrying; a server
// appearing on the role's port lets it reach ready without a restart.
t.test('port mismatch: connecting with "refused on host:port", then ready once a server listens there', async (t) => {
  const a = new SiPassServer({ population: { seed: 1, cardholders: 50 }, port: 0 });
  await a.listen();
  t.teardown(() => a.stop());
  const rolePort = await freePort();
  const sc = new SecurityCenter();
  const role = createPluginRole(sc, 'SiPass plugin', { backoff: { baseMs: 20, maxMs: 100 } });
  t.teardown(() => role.stop());
  role.apply({ host: '127.0.0.1', port: rolePort });
  // Wait for several failed attempts (bounded).
  for (let i = 0; i < 200 && role.snapshot().attempt < 3; i++) await new Promise((r) => setTimeout(r, 10));
  const snap = role.snapshot();
  t.equal(snap.state, 'connecting');
  t.ok(snap.attempt >= 3, `retried ${snap.attempt} times`);
  t.equal(snap.lastError?.code, 'ROLE_CONNECT_REFUSED');
  t.match(snap.lastError?.message, `refused on 127.0.0.1:${rolePort}`);
  t.type(snap.nextRetryAt, 'number', 'the next retry time is shown');
  t.equal(a.stats().connections, 0, 'the server on the other port never saw the role');

  const b = new SiPassServer({ population: { seed: 1, cardholders: 50 }, port: rolePort });
  await b.listen();
  t.teardown(() => b.stop());
  const ready = await role.waitFor('ready', 10_000);
  t.equal(ready.counts.cardholder, 50, 'synced from the server on the role\'s port');
});

t.test('a port nobody answers on (blocked) is reported as a timeout, not as refused', async (t) => {
  // A listener that accepts but never answers: on loopback this is how a blocked port looks to the role.
  const server = new SiPassServer({ population: { seed: 1 }, port: 0 });
  const { port } = await server.listen();
  server.block();
  t.teardown(() => server.stop());
  const sc = new SecurityCenter();
  const role = createPluginRole(sc, 'SiPass plugin', { backoff: { baseMs: 20, maxMs: 50 }, timings: { handshakeTimeoutMs: 100, connectTimeoutMs: 100 } });
  t.teardown(() => role.stop());
  role.apply({ host: '127.0.0.1', port });
  for (let i = 0; i < 300 && !role.snapshot().lastError; i++) await new Promise((r) => setTimeout(r, 10));
  const e = role.snapshot().lastError;
  t.equal(e?.code, 'ROLE_CONNECT_TIMEOUT');
  t.match(e?.message, /blocked/);
  server.unblock();
  await role.waitFor('ready', 10_000);
  t.pass('recovers once unblocked');
});
