import t from 'tap';
import { backoffDelay, DEFAULT_BACKOFF } from '../../plugin/machine/backoff.js';

t.test('back-off grows exponentially and is capped (R3)', async (t) => {
  const p = { ...DEFAULT_BACKOFF, jitter: 0 };
  t.equal(backoffDelay(0, p), 500);
  t.equal(backoffDelay(1, p), 1000);
  t.equal(backoffDelay(3, p), 4000);
  t.equal(backoffDelay(20, p), 30_000);
});

t.test('jitter stays within its bound and replays for the same seed', async (t) => {
  for (let a = 0; a < 50; a++) {
    const d = backoffDelay(a, DEFAULT_BACKOFF);
    const raw = Math.min(30_000, 500 * 2 ** a);
    t.ok(d >= raw * 0.8 - 1 && d <= Math.min(30_000, raw * 1.2) + 1, `attempt ${a}: ${d}`);
    t.equal(backoffDelay(a, DEFAULT_BACKOFF), d);
  }
});
