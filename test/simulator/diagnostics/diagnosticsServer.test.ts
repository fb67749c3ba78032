import http from 'node:http';
import { Writable } from 'node:stream';
import vm from 'node:vm';
import t from 'tap';
import { SimulatedClock } from '../../../core/clock.js';
import { DiagnosticsServer } from '../../../simulator/diagnostics/diagnosticsServer.js';
import { DIAGNOSTICS_PAGE } from '../../../simulator/diagnostics/diagnosticsPage.js';
import type { DiagnosticsSnapshot } from '../../../simulator/diagnostics/diagnosticsSnapshot.js';
import { SseChannel, type SseSink } from '../../../simulator/diagnostics/sseChannel.js';
import { SiPassServer } from '../../../simulator/sipassServer.js';
import { startTestbench } from '../../../testbench.js';

// Issue 15 / R15: the diagnostic page's server side, without a browser (the browser test is
// test/e2e/diagnosticsPage.browser.test.ts).

function request(url: string, method = 'GET', body?: string, type = 'application/json'): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body === undefined ? {} : { 'Content-Type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const post = (base: string, path: string, body: unknown) => request(base + path, 'POST', JSON.stringify(body));

/** Reads an SSE stream; `events` fills as they arrive. */
function subscribe(url: string): Promise<{ events: Array<{ event: string; data: string }>; close(): void }> {
  return new Promise((resolve, reject) => {
    const events: Array<{ event: string; data: string }> = [];
    const req = http.get(url, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (event) events.push({ event, data });
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

async function until(cond: () => boolean, ms = 20_000): Promise<boolean> {
  for (let waited = 0; !cond() && waited < ms; waited += 10) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

t.test('the page is one self-contained document whose script parses', async (t) => {
  t.notMatch(DIAGNOSTICS_PAGE, /https?:\/\//, 'no outside resource: no http(s) address at all');
  t.notMatch(DIAGNOSTICS_PAGE, /<(link|img|iframe)\b|src=/i, 'nothing loaded by tag');
  const script = DIAGNOSTICS_PAGE.slice(DIAGNOSTICS_PAGE.indexOf('<script>') + 8, DIAGNOSTICS_PAGE.indexOf('</script>'));
  t.doesNotThrow(() => new vm.Script(script), 'the inline script is valid JavaScript');
});

t.test('snapshot: a role seen from the server side, per-type progress, then closed with its reason', async (t) => {
  const tb = await startTestbench({ population: { seed: 3, cardholders: 1_200, doorsets: 30, alarmClasses: 4, eventTypes: 3 } });
  const diag = new DiagnosticsServer(tb.server, { port: 0 });
  await diag.listen();
  t.teardown(async () => {
    await diag.stop();
    await tb.close();
  });
  await tb.role.waitFor('ready', 30_000);
  let s = JSON.parse((await request(`${diag.url}snapshot`)).text) as DiagnosticsSnapshot;
  t.equal(s.roles.length, 1);
  const role = s.roles[0];
  t.equal(role?.state, 'ready', 'the first full sync went out: ready as the server sees it');
  t.equal(role?.roleName, 'SiPass plugin', 'named by its hello');
  t.equal(role?.sync?.done, 1_237);
  t.equal(role?.sync?.total, 1_237);
  t.equal(role?.sync?.ended, true);
  t.equal(role?.sync?.etaMs, null, 'no ETA once done');
  t.has(role?.sync?.types.find((x) => x.type === 'cardholders'), { type: 'cardholders', done: 1_200, total: 1_200, state: 'done' }, 'per type');
  t.equal(s.site.total, 1_237);
  t.same(s.faults, []);
  t.ok(s.wire.some((w) => w.direction === 'in' && w.t === 'hello') && s.wire.some((w) => w.t === 'batch' && /\d+ cardholders/.test(w.text)), 'the wire tail, both ways, batches summarised');
  tb.server.fireEvent('ET-1');
  tb.server.addFault({ resetAfter: { point: 'live' } });
  tb.server.raiseAlarm('AC-1');
  t.ok(await until(() => tb.server.stats().sessions.every((x) => x.id !== role?.session)), 'the reset closed the connection');
  s = JSON.parse((await request(`${diag.url}snapshot`)).text) as DiagnosticsSnapshot;
  t.same(s.live.map((l) => l.t), ['event', 'alarm'], 'the live tail');
  t.equal(s.closed[0]?.session, role?.session);
  t.match(s.closed[0]?.closeReason, /resetAfter/, 'why it closed');
  t.same(s.faults.map((f) => f.name), ['resetAfter']);
});

t.test('the JSON API runs the server actions and refuses bad requests with a code', async (t) => {
  const server = new SiPassServer({ population: { seed: 1, alarmClasses: 2, eventTypes: 2 } });
  await server.listen();
  const diag = new DiagnosticsServer(server, { port: 0 });
  await diag.listen();
  t.teardown(async () => {
    await diag.stop();
    await server.stop();
  });
  const base = diag.url;
  const page = await request(base);
  t.equal(page.status, 200);
  t.match(page.type, /text\/html/);
  let r = await post(base, 'api/faults', { spec: 'latency:ms=200,jitterMs=50' });
  t.equal(r.status, 200, r.text);
  t.same(server.activeFaults(), ['latency 200ms ±50ms'], 'the same fault syntax as serve --fault');
  r = await post(base, 'api/faults', { spec: 'latency:ms=abc' });
  t.equal(r.status, 400);
  t.equal((JSON.parse(r.text) as { code: string }).code, 'FAULT_INVALID');
  await post(base, 'api/faults', { spec: 'slicer:maxChunk=3' });
  r = await post(base, 'api/faults/clear', { name: 'latency' });
  t.has(JSON.parse(r.text), { removed: 1 });
  t.same(server.faultsInForce().map((f) => f.name), ['slicer'], 'only that fault removed');
  r = await post(base, 'api/faults/clear', {});
  t.same(server.activeFaults(), [], 'clear all');
  r = await post(base, 'api/alarms', { class: 'AC-2' });
  t.has(JSON.parse(r.text), { raised: 1, first: 'OCC-1' });
  t.equal(server.alarms.size, 1, 'raised in SiPass');
  r = await post(base, 'api/events', { type: 'ET-1' });
  t.equal(r.status, 200);
  t.equal(server.log.since(0).length, 2, 'the alarm and the event were published');
  r = await post(base, 'api/alarms', {});
  t.has(JSON.parse(r.text), { raised: 1, first: 'OCC-2' }, "no class: the site's first, as on the control channel");
  server.clearAlarm('OCC-2');
  r = await post(base, 'api/alarms', { class: 'AC-9' });
  t.equal((JSON.parse(r.text) as { code: string }).code, 'SITE_NO_SUCH_ENTITY');
  r = await post(base, 'api/alarms', { class: 7 });
  t.equal((JSON.parse(r.text) as { code: string }).code, 'CONTROL_BAD_REQUEST', 'a bad field, refused by the control actions');
  r = await post(base, 'api/faults/clear', { name: '' });
  t.equal((JSON.parse(r.text) as { code: string }).code, 'DIAGNOSTICS_BAD_REQUEST', 'an empty fault name');
  r = await request(`${base}api/alarms`, 'POST', '{"class": ', 'application/json');
  t.equal(r.status, 400, 'bad JSON');
  r = await request(`${base}api/alarms`, 'POST', 'class=AC-1', 'application/x-www-form-urlencoded');
  t.equal(r.status, 415, 'a plain form post (another site) is refused');
  r = await request(`${base}api/alarms`, 'POST', JSON.stringify({ class: 'x'.repeat(70_000) }));
  t.equal(r.status, 413, 'a body too large');
  r = await request(`${base}nowhere`);
  t.equal(r.status, 404);
  t.equal(server.alarms.size, 1, 'no refused request acted');
  const busy = new DiagnosticsServer(server, { port: diag.port });
  await t.rejects(busy.listen(), { code: 'DIAGNOSTICS_PORT_IN_USE' });
  await busy.stop();
});

t.test('pushes are throttled: a burst of 500 events gives at most 4 snapshots per second of server time', async (t) => {
  const clock = new SimulatedClock(0);
  const server = new SiPassServer({ population: { seed: 1, eventTypes: 1 }, clock });
  const diag = new DiagnosticsServer(server, { port: 0, tail: 50 });
  await diag.listen();
  t.teardown(() => diag.stop());
  const sub = await subscribe(`${diag.url}events`);
  t.teardown(() => sub.close());
  t.ok(await until(() => sub.events.length >= 2), 'choices and a first snapshot at once');
  t.same(sub.events.slice(0, 2).map((e) => e.event), ['choices', 'snapshot']);
  for (let i = 0; i < 500; i++) server.fireEvent('ET-1');
  for (let ms = 0; ms < 1000; ms += 50) clock.advanceTo(clock.now() + 50);
  t.ok(diag.pushes >= 1 && diag.pushes <= 4, `${diag.pushes} snapshots pushed for 500 events in one second`);
  t.ok(await until(() => sub.events.length >= 2 + diag.pushes), 'each reached the client');
  const last = JSON.parse(sub.events[sub.events.length - 1]?.data ?? '{}') as DiagnosticsSnapshot;
  t.equal(last.live.length, 50, 'the tail is bounded');
  t.equal(last.live[49]?.seq, 500, 'and ends at the latest');
  const before = diag.pushes;
  for (let ms = 0; ms < 2000; ms += 250) clock.advanceTo(clock.now() + 250);
  t.ok(diag.pushes - before >= 1 && diag.pushes - before <= 3, 'with nothing new, a refresh about every second');
});

t.test('a client that stops reading is dropped, the others keep getting events', async (t) => {
  class Stalled extends Writable implements SseSink {
    constructor() {
      // Never calls back: everything written stays queued, as for a tab that stopped reading.
      super({ highWaterMark: 16, write: () => undefined });
    }
    writeHead(): this {
      return this;
    }
  }
  class Reading extends Writable implements SseSink {
    got = '';
    constructor() {
      super({ write: (c: Buffer, _e, cb) => ((this.got += c.toString()), cb()) });
    }
    writeHead(): this {
      return this;
    }
  }
  const channel = new SseChannel(1_000);
  const stalled = new Stalled();
  const reading = new Reading();
  channel.add(stalled);
  channel.add(reading);
  const data = 'x'.repeat(300);
  for (let i = 0; i < 10; i++) channel.broadcast('snapshot', data);
  t.equal(channel.dropped, 1, 'the stalled client was dropped');
  t.equal(channel.size, 1);
  t.ok(stalled.destroyed, 'and its stream closed');
  t.ok(stalled.writableLength <= 1_000 + 400, `at most the bound was queued for it (${stalled.writableLength} bytes)`);
  t.equal(reading.got.split('event: snapshot').length - 1, 10, 'the reading client got every event');
  channel.close();
  t.ok(reading.destroyed);
});
