// LiveSequence, the role's exactly-once bookkeeping of the live stream (issue 13). Each test names
// the break it catches: the code was changed that way once and the test failed.
import t from 'tap';
import { LiveSequence } from '../../plugin/sync/liveSequence.js';

void t.test(
  'a gap is given up once more than 10,000 later messages are held ' +
    '(break: never give up a gap -> lastSeq stays 0 and every later ack is stuck)',
  (t) => {
    const s = new LiveSequence();
    s.welcome('life-1', 0);
    // 1 is lost for good; 2..10001 (10,000 messages) are held.
    let taken = 0;
    for (let seq = 2; seq <= 10_001; seq++) if (s.mark(seq)) taken++;
    t.equal(taken, 10_000, 'each held message is processed once');
    t.equal(s.lastSeq, 0, 'at 10,000 held the gap still waits for a replay');
    t.ok(s.mark(10_002), 'the 10,001st held message');
    t.equal(s.lastSeq, 10_002, 'the gap is given up: the mark jumps over it to the held run');
    t.notOk(s.mark(1), 'the message of the given-up gap, arriving late, is dropped');
    t.notOk(s.mark(5_000), 'a repeat of a held one is dropped');
    t.ok(s.mark(10_003));
    t.equal(s.lastSeq, 10_003);
    // Giving up leaves nothing held behind (break: `Math.min(...) + 1` -> the two lowest held
    // stay held, the next gap is given up 2 messages early and lastSeq goes back to 3).
    for (let seq = 10_005; seq <= 20_004; seq++) s.mark(seq);
    t.equal(s.lastSeq, 10_003, 'a second gap with 10,000 held still waits');
    t.end();
  },
);

void t.test(
  'giving up a gap stops at the next gap ' +
    '(break: jump to the highest held number -> the second gap is skipped without waiting)',
  (t) => {
    const s = new LiveSequence();
    s.welcome('life-1', 0);
    // 1 missing, 2..5001 held, 5002 missing, 5003..10003 held (5001 + 5001 = 10,002 held).
    for (let seq = 2; seq <= 5_001; seq++) s.mark(seq);
    for (let seq = 5_003; seq <= 10_003; seq++) s.mark(seq);
    t.equal(s.lastSeq, 5_001, 'the first gap is given up, the second still waits');
    t.ok(s.mark(5_002), 'the second gap filled');
    t.equal(s.lastSeq, 10_003);
    t.end();
  },
);

void t.test(
  'epochs: a brand-new role starts at the server\'s sequence; a role that knew an earlier life takes the whole replay ' +
    '(break: always start at the server\'s sequence -> the replay of a restarted server is dropped)',
  (t) => {
    const s = new LiveSequence();
    t.equal(s.epoch, '');
    s.welcome('life-1', 40);
    t.equal(s.epoch, 'life-1');
    t.equal(s.lastSeq, 40, 'new role: history before it is not replayed');
    t.notOk(s.mark(40));
    t.ok(s.mark(41));
    s.welcome('life-1', 99);
    t.equal(s.lastSeq, 41, 'the same life again (a reconnect): nothing changes');
    t.ok(s.takeChange('units:UN-1', 41));
    s.welcome('life-2', 7);
    t.equal(s.epoch, 'life-2');
    t.equal(s.lastSeq, 0, 'a new life of a server it knew: replay from 1');
    t.ok(s.mark(1), 'seq 1 of the new life is new');
    t.ok(s.takeChange('units:UN-1', 1), 'and the per-entity sequence starts again');
    t.notOk(s.takeChange('units:UN-1', 0), 'an older change of the same entity is stale');
    t.ok(s.takeChange('units:UN-1', 1), 'the same seq again is not older');
    t.end();
  },
);
