import t from 'tap';
import { parseByteSize } from '../../../core/byteSize.js';
import { DEFAULT_TIMINGS } from '../../../plugin/connection/roleConnection.js';
import { exposureWarning, isLoopbackHost } from '../../../simulator/limits/exposureWarning.js';
import { openFileLimit } from '../../../simulator/limits/openFileLimit.js';
import { DEFAULT_SERVER_LIMITS, defaultMaxConnections, describeLimits, resolveLimits } from '../../../simulator/limits/serverLimits.js';

t.test('defaults: a live role is never idle, and its messages fit the input cap', async (t) => {
  t.ok(DEFAULT_SERVER_LIMITS.idleTimeoutMs >= 3 * DEFAULT_TIMINGS.heartbeatIntervalMs, 'idle timeout is at least 3 role heartbeat intervals');
  t.ok(DEFAULT_SERVER_LIMITS.idleTimeoutMs > DEFAULT_TIMINGS.heartbeatTimeoutMs, 'and longer than the role waits for our heartbeat');
  t.ok(DEFAULT_SERVER_LIMITS.handshakeTimeoutMs > DEFAULT_TIMINGS.handshakeTimeoutMs, 'the role gives up on a handshake before the server does');
  t.equal(DEFAULT_SERVER_LIMITS.maxInputBytes, 64 * 1024);
  const l = resolveLimits({ idleTimeoutMs: 0, maxConnections: 7 });
  t.equal(l.idleTimeoutMs, 0, '0 turns a limit off');
  t.equal(l.maxConnections, 7);
  t.equal(resolveLimits({ handshakeTimeoutMs: undefined }).handshakeTimeoutMs, 10_000, 'undefined keeps the default');
  t.equal(describeLimits(resolveLimits({ maxConnections: 5, idleTimeoutMs: 0 })), 'handshake 10s, idle off, input 64 KiB, output 8 MiB, connections 5');
});

t.test('max connections stays below the open-file limit (Node 20 hides EMFILE)', async (t) => {
  t.equal(defaultMaxConnections(undefined), 1000);
  t.equal(defaultMaxConnections(1_048_576), 1000);
  t.equal(defaultMaxConnections(256), 192);
  t.equal(defaultMaxConnections(10), 1);
  t.equal(openFileLimit('Limit  Soft Limit  Hard Limit  Units\nMax open files            1024                 4096                 files\n'), 1024);
  t.equal(openFileLimit('Max open files            unlimited            unlimited            files\n'), undefined);
  t.equal(openFileLimit(''), undefined);
});

t.test('non-loopback addresses get the warning', async (t) => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) t.ok(isLoopbackHost(h), `${h} is loopback`);
  for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'fe80::1', 'sipass.example.com', '::ffff:10.0.0.1']) t.notOk(isLoopbackHost(h), `${h} is not`);
  t.equal(exposureWarning('127.0.0.1', 5645), undefined);
  const w = exposureWarning('0.0.0.0', 5645) ?? '';
  t.match(w, /^WARNING: listening on 0\.0\.0\.0:5645, reachable from every network interface/);
  t.match(w, /unauthenticated/);
  t.match(w, /cardholder names, card numbers/);
  t.match(exposureWarning('::', 1) ?? '', 'listening on [::]:1');
});

t.test('byte sizes', async (t) => {
  t.equal(parseByteSize('65536'), 65536);
  t.equal(parseByteSize('64KiB'), 65536);
  t.equal(parseByteSize('8 MiB'), 8 * 1024 * 1024);
  t.equal(parseByteSize('1.5k'), 1536);
  t.equal(parseByteSize('0'), 0);
  t.throws(() => parseByteSize('lots'), { code: 'BYTES_INVALID' });
  t.throws(() => parseByteSize('5 parsecs'), { code: 'BYTES_INVALID' });
});
