// Targeted FrameDecoder checks (issue 13): each names the break that made it fail once
// (docs/testing.md, "Behaviours and the break each test catches").
import t from 'tap';
import { encodeMessage } from '../../protocol/encodeMessage.js';
import { FrameDecoder } from '../../protocol/frameDecoder.js';
import { ProtocolError } from '../../protocol/protocolError.js';
import { HEADER_SIZE } from '../../protocol/version.js';

/** Every foreign greeting the decoder names, with a longer sample that starts with it. */
const FOREIGN: Array<[sample: string, name: string]> = [
  ['GET / HTTP/1.1\r\n', 'HTTP'],
  ['POST /x HTTP/1.1\r\n', 'HTTP'],
  ['PUT /x HTTP/1.1\r\n', 'HTTP'],
  ['HEAD / HTTP/1.1\r\n', 'HTTP'],
  ['HTTP/1.1 400 Bad Request\r\n', 'HTTP'],
  ['SSH-2.0-OpenSSH_9.6\r\n', 'SSH'],
  ['\u0016\u0003\u0001\u0002\u0000\u0001', 'TLS'],
  ['220 mail.example ESMTP\r\n', 'SMTP/FTP'],
  ['+OK POP3 ready\r\n', 'POP3'],
  ['*1\r\n$4\r\nPING\r\n', 'Redis'],
];

function errorOf(f: () => unknown): ProtocolError {
  try {
    f();
  } catch (e) {
    if (e instanceof ProtocolError) return e;
    throw e;
  }
  throw new Error('expected a ProtocolError');
}

/** Feeds `bytes` in chunks of `size`; returns the error and how many bytes went in before it. */
function feed(bytes: Buffer, size: number): { error: ProtocolError | undefined; fed: number } {
  const d = new FrameDecoder();
  for (let i = 0; i < bytes.length; i += size) {
    try {
      d.push(bytes.subarray(i, i + size));
    } catch (e) {
      if (e instanceof ProtocolError) return { error: e, fed: Math.min(bytes.length, i + size) };
      throw e;
    }
  }
  return { error: undefined, fed: bytes.length };
}

void t.test(
  'a foreign protocol is named whatever the chunk size: "GET " in 1- or 2-byte chunks is HTTP, not bad magic ' +
    '(break: name the peer from the first 2 bytes without waiting for 4 -> "GET " in 1-byte chunks is PROTO_BAD_MAGIC)',
  (t) => {
    for (const [sample, name] of FOREIGN) {
      const bytes = Buffer.from(sample, 'latin1');
      for (const size of [1, 2, 3, bytes.length]) {
        const { error, fed } = feed(bytes, size);
        t.equal(error?.code, 'PROTO_FOREIGN_PROTOCOL', `${JSON.stringify(sample.slice(0, 4))} in ${size}-byte chunks`);
        t.equal(error?.message, `the peer speaks another protocol (looks like ${name}), not the SiPass proxy protocol (at byte 0)`);
        t.ok(fed <= Math.ceil(4 / size) * size, `named as soon as the greeting is known (after ${fed} bytes)`);
      }
    }
    t.end();
  },
);

void t.test(
  'a greeting shorter than 4 bytes is named as soon as it is complete, not held for more ' +
    '(break: wait while the prefix length is >= the bytes seen -> "+OK" alone is never named)',
  (t) => {
    for (const [text, name] of [
      ['GET ', 'HTTP'],
      ['+OK', 'POP3'],
      ['*', 'Redis'],
      ['\u0016\u0003', 'TLS'],
    ] as const) {
      const d = new FrameDecoder();
      const bytes = Buffer.from(text, 'latin1');
      // Two bytes at least: one byte alone is never a frame start.
      const e = bytes.length < 2 ? errorOf(() => d.push(Buffer.concat([bytes, Buffer.from('\r\n')]))) : errorOf(() => d.push(bytes));
      t.equal(e.code, 'PROTO_FOREIGN_PROTOCOL', JSON.stringify(text));
      t.match(e.message, `looks like ${name}`);
    }
    t.end();
  },
);

void t.test(
  'bytes that can still become a greeting are held; bytes that cannot are bad magic at once ' +
    '(break: look at every remaining byte instead of the first 4, or match greetings at the end -> "x*" is Redis)',
  (t) => {
    const held = new FrameDecoder();
    t.strictSame(held.push(Buffer.from('G')), [], 'G: held');
    t.strictSame(held.push(Buffer.from('E')), [], 'GE: held');
    t.strictSame(held.push(Buffer.from('T')), [], 'GET: held');
    t.equal(held.buffered, 3);
    t.equal(held.end()?.code, 'PROTO_TRUNCATED', 'a greeting cut short is a truncation');

    for (const text of ['\u0012\u0034', 'x*', 'GX', 'GETX', 'SSX-', 'SX']) {
      const e = errorOf(() => new FrameDecoder().push(Buffer.from(text, 'latin1')));
      t.equal(e.code, 'PROTO_BAD_MAGIC', JSON.stringify(text));
      t.equal(e.message, `bad frame start 0x${Buffer.from(text, 'latin1').subarray(0, 2).toString('hex')}, expected 0x5350 ("SP") (at byte 0)`);
    }
    t.end();
  },
);

void t.test(
  'a greeting after a good frame is named at its own offset, in 1-byte chunks too ' +
    '(break: offsets relative to the push instead of the stream -> "at byte 0")',
  (t) => {
    const good = encodeMessage({ t: 'ping', n: 1 });
    const bytes = Buffer.concat([good, Buffer.from('GET / HTTP/1.1\r\n')]);
    for (const size of [1, 2, bytes.length]) {
      const { error } = feed(bytes, size);
      t.equal(error?.code, 'PROTO_FOREIGN_PROTOCOL', `${size}-byte chunks`);
      t.equal(error?.offset, good.length);
      t.match(error?.message, `(at byte ${good.length})`);
    }
    t.end();
  },
);

void t.test(
  'frames and bytes count whole frames only, across chunk boundaries ' +
    '(break: count on every push, or drop the header from the byte count -> counts differ)',
  (t) => {
    const a = encodeMessage({ t: 'ping', n: 1 });
    const b = encodeMessage({ t: 'pong', n: 22 });
    const d = new FrameDecoder();
    t.equal(d.frames, 0);
    t.equal(d.bytes, 0);
    t.strictSame(d.push(Buffer.concat([a, b.subarray(0, HEADER_SIZE + 1)])), [{ t: 'ping', n: 1 }]);
    t.equal(d.frames, 1, 'a partial frame is not counted');
    t.equal(d.bytes, a.length, 'header included');
    t.equal(d.buffered, HEADER_SIZE + 1, 'the partial frame is held');
    t.strictSame(d.push(b.subarray(HEADER_SIZE + 1)), [{ t: 'pong', n: 22 }]);
    t.equal(d.frames, 2);
    t.equal(d.bytes, a.length + b.length);
    t.equal(d.buffered, 0);
    t.equal(d.end(), undefined);
    t.end();
  },
);

void t.test(
  'the pending tail is a copy: reusing the caller\'s buffer after push does not change what is decoded ' +
    '(break: keep a view of the chunk -> the reused buffer corrupts the held bytes)',
  (t) => {
    const frame = encodeMessage({ t: 'ping', n: 7 });
    const scratch = Buffer.from(frame.subarray(0, 5));
    const d = new FrameDecoder();
    t.strictSame(d.push(scratch), []);
    scratch.fill(0x7a);
    t.strictSame(d.push(frame.subarray(5)), [{ t: 'ping', n: 7 }]);
    t.end();
  },
);

void t.test(
  'the words users read for each malformed input ' +
    '(break: any change to the message templates, or dropping the JSON parser\'s reason)',
  (t) => {
    const big = Buffer.from([0x53, 0x50, 0, 0, 0x01, 0x00]);
    t.equal(errorOf(() => new FrameDecoder({ maxFrame: 255 }).push(big)).message, 'frame of 256 bytes exceeds the 255-byte limit (at byte 0)');
    const payload = Buffer.from('{"t":');
    const header = Buffer.from([0x53, 0x50, 0, 0, 0, payload.length]);
    const bad = errorOf(() => new FrameDecoder().push(Buffer.concat([header, payload])));
    t.match(bad.message, /^frame payload is not valid JSON: .+ \(at byte 0\)$/);
    t.notMatch(bad.message, /JSON: {2}/, 'the parser names its reason');
    const d = new FrameDecoder();
    d.push(Buffer.from([0x53, 0x50, 0]));
    t.equal(d.end()?.message, 'connection closed in the middle of a frame (3 bytes pending) (at byte 0)');
    t.equal(errorOf(() => new FrameDecoder().push(Buffer.concat([Buffer.from([0x53, 0x50, 0, 0, 0, 2]), Buffer.from('{}')]))).message, 'unknown message type undefined (at byte 0)');
    t.end();
  },
);

void t.test('a ProtocolError carries its code, name, offset and the offset in its details', (t) => {
  const e = errorOf(() => new FrameDecoder().push(Buffer.from([0x01, 0x02])));
  t.equal(e.name, 'ProtocolError');
  t.equal(e.code, 'PROTO_BAD_MAGIC');
  t.equal(e.offset, 0);
  t.match(e, { details: { offset: 0 } });
  t.end();
});

void t.test(
  'a frame start is judged on both magic bytes: one byte waits, a wrong first byte is bad magic ' +
    '(breaks: decide on one byte -> the message names one byte; check only the second byte -> "XP" frames decode)',
  (t) => {
    const d = new FrameDecoder();
    t.strictSame(d.push(Buffer.from([0x12])), [], 'one byte: wait for the second');
    t.equal(d.buffered, 1);
    t.equal(errorOf(() => d.push(Buffer.from([0x34]))).message, 'bad frame start 0x1234, expected 0x5350 ("SP") (at byte 0)');
    const xp = Buffer.concat([Buffer.from('XP'), Buffer.from([0, 0, 0, 2]), Buffer.from('{}')]);
    t.equal(errorOf(() => new FrameDecoder().push(xp)).code, 'PROTO_BAD_MAGIC', '"XP" is not "SP"');
    t.end();
  },
);

void t.test(
  'one byte after a whole frame is kept for the next chunk; the frame is delivered ' +
    '(break: the loop judging the frame start with one byte left -> bad magic thrown, the frame lost)',
  (t) => {
    const d = new FrameDecoder();
    const frame = encodeMessage({ t: 'ping', n: 1 });
    t.strictSame(d.push(Buffer.concat([frame, Buffer.from([0x00])])), [{ t: 'ping', n: 1 }]);
    t.equal(d.buffered, 1, 'the odd byte waits');
    t.equal(errorOf(() => d.push(Buffer.from([0x00]))).code, 'PROTO_BAD_MAGIC', 'judged once a second byte came');
    t.end();
  },
);
