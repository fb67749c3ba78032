// The alarm monitor keeps its most recent entries and its occurrence index in step (issue 13).
import t from 'tap';
import { AlarmMonitor } from '../../plugin/securitycenter/alarmMonitor.js';

const trig = (occurrenceId: string, kind: 'raised' | 'retrigger' = 'raised') => ({ at: 0, alarmId: 'A', alarmName: 'Door forced', occurrenceId, kind, notified: [] });

void t.test(
  'evicting entries past the bound removes them from the occurrence index too ' +
    '(break: no eviction callback -> has() and forOccurrence() still return evicted entries; ' +
    'bug found and fixed: a retrigger that evicted its own occurrence\'s previous entry dropped the occurrence from the index)',
  (t) => {
    const m = new AlarmMonitor(3);
    m.record(trig('o1'));
    m.record(trig('o2'));
    m.record(trig('o1', 'retrigger'));
    m.record(trig('o3'));
    t.equal(m.count, 4, 'every triggering is counted');
    t.strictSame(m.list().map((e) => e.n), [2, 3, 4], 'the 3 most recent are kept');
    t.ok(m.has('o1'), 'o1 still has its retrigger');
    t.strictSame(m.forOccurrence('o1').map((e) => e.n), [3], 'only the retained entry of o1');
    m.record(trig('o4'));
    t.notOk(m.has('o2'), 'o2 is gone with its only entry');
    t.strictSame(m.forOccurrence('o2'), []);
    t.notOk(m.acknowledge('o2', 'alice', 'sc', 5), 'an evicted occurrence cannot be acknowledged');
    t.ok(m.acknowledge('o1', 'alice', 'sc', 5));
    m.record(trig('o1', 'retrigger'));
    t.strictSame(m.forOccurrence('o1').map((e) => [e.n, e.acknowledged?.by]), [[6, 'alice']], 'the retrigger inherits the acknowledgement; entry 3 is evicted');
    t.notOk(m.acknowledge('o1', 'bob', 'sipass', 6), 'already acknowledged: nothing to do');
    m.record(trig('o5'));
    m.record(trig('o6'));
    t.ok(m.has('o1'));
    m.record(trig('o7'));
    t.notOk(m.has('o1'), 'its last entry evicted: o1 is gone from the index');
    t.strictSame(m.list().map((e) => e.occurrenceId), ['o5', 'o6', 'o7']);
    t.end();
  },
);
