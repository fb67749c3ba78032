import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadScenario } from '../../../harness/scenario/loadScenario.js';
import { FAULT_NAMES, FAULTS, parseFaultArg, readFaultSpec } from '../../../simulator/faults/index.js';
import { SiPassServer } from '../../../simulator/sipassServer.js';

t.test('every fault has a module and a usage line', async (t) => {
  for (const n of FAULT_NAMES) {
    t.equal(FAULTS[n].name, n);
    t.ok(readFaultSpec({ [n]: n === 'resetAfter' ? { frames: 1 } : {} }).spec, `${n} with defaults is valid`);
  }
});

t.test('written specs: options, common keys, every problem at once', async (t) => {
  t.same(readFaultSpec({ latency: { ms: '2s', jitterMs: 5 }, toxicity: 0.5, seed: 3, times: 2 }).spec, { name: 'latency', options: { ms: '2s', jitterMs: 5 }, toxicity: 0.5, seed: 3, times: 2 });
  const bad = readFaultSpec({ latency: { ms: -1, jiter: 5 }, toxicity: 2 });
  t.equal(bad.spec, undefined);
  t.equal(bad.problems.length, 3, bad.problems.join(' | '));
  t.match(readFaultSpec({ lag: {} }).problems[0], /unknown fault "lag"/);
  t.match(readFaultSpec({ latency: {}, silence: {} }).problems[0], /2 faults in one step/);
  t.match(readFaultSpec({ resetAfter: { frames: 1, bytes: 2 } }).problems[0], /exactly one of/);
  t.match(readFaultSpec({ resetAfter: { point: { afterBatch: 2, type: 'people' } } }).problems[0], /type must be one of/);
  t.match(readFaultSpec({ wrongVersion: { delta: 0 } }).problems[0], /must not be 0/);
});

t.test('serve --fault NAME[:k=v,...]', async (t) => {
  t.same(parseFaultArg('latency:ms=200,jitterMs=50,toxicity=0.5,seed=3'), { name: 'latency', options: { ms: '200', jitterMs: '50' }, toxicity: 0.5, seed: 3 });
  t.same(parseFaultArg('resetAfter:afterBatch=3,type=cardholders,times=1').options, { afterBatch: '3', type: 'cardholders' });
  t.same(parseFaultArg('silence'), { name: 'silence', options: {} });
  t.throws(() => parseFaultArg('latency:ms'), /not key=value/);
  t.throws(() => parseFaultArg('nope:x=1'), /unknown fault/);
  const server = new SiPassServer({ epoch: 'e' });
  server.addFault(parseFaultArg('resetAfter:afterBatch=3,type=cardholders'));
  server.addFault(parseFaultArg('resetAfter:point=live,times=1'));
  server.addFault({ latency: { ms: 10 } });
  t.same(server.activeFaults(), ['reset after batch 3 of cardholders', 'reset during the live stream ×1', 'latency 10ms']);
  t.equal(server.removeFault('resetAfter'), 2);
  t.equal(server.clearFaults(), 1);
  t.same(server.stats().faults, []);
  t.throws(() => server.addFault({ latency: { ms: 'soon' } }), { code: 'FAULT_INVALID' });
});

t.test('a bad fault step is reported at its line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'faults-'));
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'name: bad fault\nsteps:\n  - fault: { latency: { ms: soon } }\n  - clearFaults: true\n  - removeFault: lag\n');
  const err = await loadScenario(file).then(
    () => undefined,
    (e: Error) => e,
  );
  t.ok(err, 'rejected');
  t.match(err?.message ?? '', /bad\.yaml:3:\d+: steps\[0\]\.fault: latency\.ms must be a duration/);
  t.match(err?.message ?? '', /bad\.yaml:5:\d+: steps\[2\]\.removeFault must be one of/);
});
