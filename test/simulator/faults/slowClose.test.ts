import t from 'tap';
import { encodeMessage } from '../../../protocol/encodeMessage.js';
import { SimulatedClock } from '../../../core/clock.js';
import { SiPassServer } from '../../../simulator/sipassServer.js';
import { duplexPair } from '../../helpers/duplexPair.js';
import { rig } from '../../helpers/faultRig.js';

const turns = async (n = 20): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

t.test('slow close: the error frame goes at once, the close only ms later', async (t) => {
  const clock = new SimulatedClock(0);
  const server = new SiPassServer({ population: { alarmClasses: 1 }, clock, epoch: 'e' });
  server.addFault({ slowClose: { ms: 5_000 } });
  const [peer, end] = duplexPair();
  server.attach(end);
  let ended = false;
  let got = 0;
  peer.on('data', (c: Buffer) => (got += c.length));
  peer.on('end', () => (ended = true));
  peer.write(Buffer.from('\x00\x01garbage'));
  await turns();
  t.ok(got > 0, 'the fatal error frame arrived');
  t.equal(server.stats().connections, 0, 'the server dropped the session');
  t.notOk(ended, 'but the socket is still open');
  clock.advanceTo(4_999);
  await turns();
  t.notOk(ended, 'still open just before ms');
  clock.advanceTo(5_000);
  await turns();
  t.ok(ended, 'closed at ms');
  peer.destroy();
  void encodeMessage;
});

t.test('slow close of a reset connection: the role notices late, then reconnects and converges', async (t) => {
  const r = await rig(t);
  t.ok(await r.until(() => r.ready()), 'ready');
  r.server.addFault({ slowClose: { ms: 3_000 } });
  r.server.resetConnections('operator reset');
  await r.quiesce();
  t.equal(r.role.state, 'ready', 'no close seen yet');
  const occ = r.server.raiseAlarm('AC-1', 'OCC-SLOW');
  await r.quiesce();
  t.equal(r.triggerings(occ), 0, 'a closing connection carries no live message');
  t.ok(await r.until(() => r.role.state === 'connecting', 3_000), 'the close arrives after the delay');
  t.equal(r.errorCode(), 'ROLE_CONNECTION_CLOSED');
  r.server.clearFaults();
  t.ok(await r.until(() => r.ready(), 30_000), 'ready again');
  t.ok(r.converged());
  t.equal(r.triggerings(occ), 1, 'the alarm missed while closing is replayed, once');
});
