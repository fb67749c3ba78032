// The body reader both HTTP surfaces (control channel, diagnostic page) share: in memory, a Readable
// standing in for the request, since the socket is not what is tested here.
import type http from 'node:http';
import { Readable } from 'node:stream';
import t from 'tap';
import { readJsonBody } from '../../../simulator/control/readJsonBody.js';

const CODES = { tooLarge: 'X_TOO_LARGE', badRequest: 'X_BAD' };
const req = (...chunks: string[]): http.IncomingMessage => Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as http.IncomingMessage;

t.test('a JSON object, in chunks, is read whole', async (t) => {
  t.same(await readJsonBody(req('{"al', 'arm": "AC-1", "n": 2}'), 100, CODES), { alarm: 'AC-1', n: 2 });
});

t.test('an empty or blank body is an empty object', async (t) => {
  t.same(await readJsonBody(req(), 100, CODES), {});
  t.same(await readJsonBody(req('  \n'), 100, CODES), {});
});

t.test('anything but one JSON object is a bad request with the surface\'s code', async (t) => {
  for (const body of ['[1,2]', 'null', '42', '"x"', '{"a":']) {
    await t.rejects(readJsonBody(req(body), 100, CODES), { code: 'X_BAD' }, body);
  }
});

t.test('a body over the limit is refused after it is drained, never parsed', async (t) => {
  const r = req('{"a":"', 'x'.repeat(60), '"}');
  await t.rejects(readJsonBody(r, 50, CODES), { code: 'X_TOO_LARGE', message: 'request body over 50 bytes' });
  t.ok(r.readableEnded, 'the whole body was read (the client still gets its answer)');
  t.same(await readJsonBody(req('{"a":"', 'x'.repeat(42), '"}'), 50, CODES), { a: 'x'.repeat(42) }, 'exactly at the limit: read');
});
