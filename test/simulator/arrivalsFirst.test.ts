/**
 * The server tells its syncs when connections arrive (simulator/loopShare.ts, issue 11's
 * `npm run load`): an accepted connection makes `connectionsArriving` true for that event-loop
 * iteration and the next, and the syncs hold back meanwhile; once an iteration passes without
 * one it is false again. Loopback, port 0, no timing assumed beyond the loop's own turns.
 */
import net from 'node:net';
import t from 'tap';
import { SiPassServer } from '../../simulator/sipassServer.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

t.test('an accept marks connections arriving, until an iteration passes without one (break: no arrival() in accept -> never arriving)', async (t) => {
  const server = new SiPassServer({ population: { seed: 1, cardholders: 3 } });
  const { port } = await server.listen(0, '127.0.0.1');
  t.teardown(() => server.stop());
  t.notOk(server.connectionsArriving, 'nothing arrived yet');
  const seen = new Promise<boolean>((resolve) =>
    server.on('event', (e: { kind: string }) => {
      if (e.kind === 'connection') resolve(server.connectionsArriving);
    }),
  );
  const socket = net.connect(port, '127.0.0.1');
  t.teardown(() => socket.destroy());
  t.ok(await seen, 'arriving when the connection is accepted');
  for (let i = 0; i < 3; i++) await turn();
  t.notOk(server.connectionsArriving, 'no longer once the loop turned without an accept');
});
