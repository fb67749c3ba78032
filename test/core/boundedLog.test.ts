import t from 'tap';
import { BoundedLog } from '../../core/boundedLog.js';
import { AlarmMonitor } from '../../plugin/securitycenter/alarmMonitor.js';

t.test('keeps the most recent items, oldest first, and reports each dropped one', async (t) => {
  const dropped: number[] = [];
  const log = new BoundedLog<number>(3, (x) => dropped.push(x));
  for (let i = 1; i <= 10; i++) log.push(i);
  t.same(log.list(), [8, 9, 10]);
  t.equal(log.size, 3);
  t.same(dropped, [1, 2, 3, 4, 5, 6, 7]);
});

t.test('the alarm monitor forgets dropped occurrences but counts every triggering', async (t) => {
  const m = new AlarmMonitor(2);
  for (const id of ['A', 'B', 'C']) m.record({ at: 0, alarmId: null, alarmName: id, occurrenceId: id, kind: 'raised', notified: [] });
  t.equal(m.count, 3);
  t.notOk(m.has('A'), 'A fell off the retained window');
  t.ok(m.has('C'));
  t.ok(m.acknowledge('C', 'alice', 'sc', 5));
  t.equal(m.forOccurrence('C')[0]?.acknowledged?.by, 'alice');
  m.record({ at: 6, alarmId: null, alarmName: 'C', occurrenceId: 'C', kind: 'retrigger', notified: [] });
  t.equal(m.forOccurrence('C')[1]?.acknowledged?.by, 'alice', 'a retrigger carries the acknowledgement');
});
