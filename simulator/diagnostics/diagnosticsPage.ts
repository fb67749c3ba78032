/**
 * The diagnostic page: one self-contained HTML document (inline CSS and
 * script, no fonts, images or scripts from anywhere), so it ships inside the
 * package and works on a machine with no network. It listens to /events
 * (Server-Sent Events: `choices` once, then `snapshot`s) and posts the
 * controls' actions as JSON to /api/*. Text from the wire is only ever set
 * with textContent.
 */
export const DIAGNOSTICS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SiPass proxy diagnostics</title>
<style>
  :root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --mute: #667085; --line: #e3e6ec; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --info: #0969da; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
  header { display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; padding: 10px 16px; background: #1d2330; color: #fff; }
  header h1 { font-size: 16px; margin: 0; }
  header .mute { color: #b8c0cc; }
  #status { margin-left: auto; font-weight: 600; }
  #status.live { color: #7ee787; } #status.down { color: #ff7b72; }
  main { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; padding: 12px; }
  section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--mute); margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--mute); font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 9px; font-weight: 600; font-size: 12px; border: 1px solid currentColor; }
  .s-ready { color: var(--ok); } .s-syncing { color: var(--info); } .s-handshake, .s-connected { color: var(--warn); } .s-closed { color: var(--mute); }
  .err { color: var(--bad); }
  .mute { color: var(--mute); }
  .bar { position: relative; height: 8px; background: var(--line); border-radius: 4px; min-width: 80px; overflow: hidden; }
  .bar > i { position: absolute; inset: 0 auto 0 0; background: var(--info); }
  .bar.done > i { background: var(--ok); }
  .types td { border: 0; padding: 1px 6px; }
  .tail { font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; max-height: 320px; overflow: auto; margin: 0; white-space: pre-wrap; word-break: break-all; }
  .tail .in { color: var(--ok); } .tail .out { color: var(--info); }
  form { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
  input { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; min-width: 220px; flex: 1; }
  button { font: inherit; padding: 3px 10px; border: 1px solid #b8c0cc; border-radius: 4px; background: #f3f4f6; cursor: pointer; }
  button:hover { background: #e7e9ee; }
  #result { min-height: 1.4em; }
  #result.ok { color: var(--ok); } #result.bad { color: var(--bad); }
  .counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 4px 12px; }
  .counts div { display: flex; justify-content: space-between; border-bottom: 1px dotted var(--line); }
  details summary { cursor: pointer; color: var(--mute); }
</style>
</head>
<body>
<header>
  <h1>SiPass proxy diagnostics</h1>
  <span id="server" class="mute"></span>
  <span id="site-name" class="mute"></span>
  <span id="status" class="down">connecting…</span>
</header>
<main>
  <section class="wide" id="roles-section">
    <h2>Roles connected <span class="mute" title="As seen by the server: handshake done, the full sync it has streamed (entities handed to the connection), the live stream.">(as the server sees them)</span></h2>
    <table id="roles"><thead><tr><th>#</th><th>Role</th><th>From</th><th>State</th><th>Sync progress</th><th>Last error</th><th>Faults</th></tr></thead><tbody></tbody></table>
    <p id="no-roles" class="mute">No role connected.</p>
    <details id="closed-details"><summary>Recently closed (<span id="closed-count">0</span>)</summary>
      <table id="closed"><thead><tr><th>#</th><th>Role</th><th>From</th><th>Sync</th><th>Why it closed</th></tr></thead><tbody></tbody></table>
    </details>
  </section>
  <section id="site-section">
    <h2>Site</h2>
    <div class="counts" id="counts"></div>
    <p class="mute" id="server-stats"></p>
  </section>
  <section id="faults-section">
    <h2>Faults</h2>
    <ul id="faults"></ul>
    <p id="no-faults" class="mute">No fault active.</p>
    <form id="fault-form">
      <input id="fault-spec" list="fault-names" placeholder="NAME[:k=v,...] e.g. latency:ms=200,jitterMs=50" autocomplete="off">
      <button type="submit" id="fault-add">Add fault</button>
      <button type="button" id="fault-clear-all">Clear all</button>
    </form>
    <datalist id="fault-names"></datalist>
    <details><summary>Faults and their options</summary><pre class="tail" id="fault-help"></pre></details>
  </section>
  <section id="raise-section">
    <h2>Raise in SiPass</h2>
    <form id="alarm-form">
      <input id="alarm-class" list="alarm-classes" placeholder="alarm class id" autocomplete="off">
      <button type="submit" id="alarm-raise">Raise alarm</button>
    </form>
    <form id="event-form">
      <input id="event-type" list="event-types" placeholder="event type id" autocomplete="off">
      <button type="submit" id="event-fire">Fire event</button>
    </form>
    <datalist id="alarm-classes"></datalist><datalist id="event-types"></datalist>
    <div id="result"></div>
  </section>
  <section id="live-section">
    <h2>Alarms, events and changes</h2>
    <pre class="tail" id="live"></pre>
  </section>
  <section id="wire-section">
    <h2>Wire <span class="mute" title="out: server to role, as handed to the connection (before faults); in: role to server">(latest messages)</span></h2>
    <pre class="tail" id="wire"></pre>
  </section>
</main>
<script>
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const k of kids) if (k != null) e.append(k);
    return e;
  };
  const n = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
  const rate = (r) => (r == null ? '–' : r >= 1e6 ? (r / 1e6).toFixed(2) + 'M/s' : r >= 1e3 ? (r / 1e3).toFixed(1) + 'k/s' : r.toFixed(0) + '/s');
  const dur = (ms) => {
    if (ms == null) return '–';
    const s = Math.max(0, Math.round(ms / 1000));
    return s >= 3600 ? Math.floor(s / 3600) + 'h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + 'm'
      : s >= 60 ? Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's' : s + 's';
  };
  const bytes = (b) => (b >= 1 << 30 ? (b / (1 << 30)).toFixed(2) + ' GiB' : b >= 1 << 20 ? (b / (1 << 20)).toFixed(1) + ' MiB' : b >= 1024 ? (b / 1024).toFixed(1) + ' KiB' : b + ' B');
  const time = (at) => new Date(at).toISOString().slice(11, 23);
  const pct = (d, t) => (t > 0 ? Math.min(100, (100 * d) / t) : 100);
  const bar = (d, t, done) => el('div', { class: 'bar' + (done ? ' done' : ''), title: pct(d, t).toFixed(1) + '%' }, el('i', { style: 'width:' + pct(d, t) + '%' }));

  function progressCell(sync) {
    if (!sync) return el('span', { class: 'mute', text: 'no sync yet' });
    const head = el('div', { 'data-sync-done': String(sync.done), 'data-sync-total': String(sync.total), class: 'sync-summary' },
      el('span', { text: 'sync ' + sync.id + ' (' + sync.mode + '): ' + n(sync.done) + ' / ' + n(sync.total) + ' · ' + rate(sync.rate) + (sync.ended ? ' · done in ' + dur(sync.elapsedMs) : sync.etaMs != null ? ' · ETA ' + dur(sync.etaMs) : '') }));
    const types = el('table', { class: 'types' });
    // Types the site has none of are done at once: listed in the summary's total only.
    for (const t of sync.types.filter((x) => x.total > 0)) {
      types.append(el('tr', { 'data-type': t.type, 'data-done': String(t.done), 'data-total': String(t.total), 'data-state': t.state },
        el('td', { text: t.type }),
        el('td', {}, bar(t.done, t.total, t.state === 'done')),
        el('td', { class: 'num', text: n(t.done) + ' / ' + n(t.total) }),
        el('td', { class: 'num', text: rate(t.rate) }),
        el('td', { class: 'num', text: t.state === 'done' ? 'done' : t.state === 'pending' ? 'pending' : 'ETA ' + dur(t.etaMs) })));
    }
    return el('div', {}, head, bar(sync.done, sync.total, sync.ended), types);
  }

  function renderRoles(s) {
    const body = $('roles').tBodies[0];
    body.replaceChildren(...s.roles.map((r) => el('tr', { class: 'role', 'data-session': String(r.session), 'data-state': r.state },
      el('td', { text: String(r.session) }),
      el('td', { text: r.roleName || '(no hello yet)', title: r.roleId }),
      el('td', { text: r.remote }),
      el('td', {}, el('span', { class: 'badge s-' + r.state, text: r.state })),
      el('td', {}, progressCell(r.sync)),
      el('td', { class: 'err', text: r.lastError || '' }),
      el('td', { text: r.faults.join(', ') }))));
    $('no-roles').hidden = s.roles.length > 0;
    $('closed-count').textContent = String(s.closed.length);
    $('closed').tBodies[0].replaceChildren(...s.closed.map((r) => el('tr', { class: 'closed-role', 'data-session': String(r.session) },
      el('td', { text: String(r.session) }),
      el('td', { text: r.roleName || '(no hello)' }),
      el('td', { text: r.remote }),
      el('td', { text: r.sync ? n(r.sync.done) + ' / ' + n(r.sync.total) + (r.sync.ended ? ' (done)' : ' (cut short)') : '–' }),
      el('td', { class: 'err', text: (r.closedAt ? time(r.closedAt) + '  ' : '') + (r.closeReason || '') + (r.lastError && r.lastError !== r.closeReason ? '  [last error: ' + r.lastError + ']' : '') }))));
  }

  function renderSite(s) {
    $('server').textContent = s.server.name + ' on ' + s.server.host + ':' + s.server.port + (s.server.listening ? '' : ' (not listening)') + (s.server.blocked ? ' (blocked)' : '');
    $('site-name').textContent = 'site "' + s.site.name + '" (seed ' + s.site.seed + ')';
    const counts = [['total entities', s.site.total]];
    for (const [k, v] of Object.entries(s.site.totals)) counts.push([k, v]);
    counts.push(['active alarms', s.site.activeAlarms]);
    $('counts').replaceChildren(...counts.map(([k, v]) => el('div', { 'data-count': k }, el('span', { text: k }), el('b', { text: n(v) }))));
    $('server-stats').textContent = 'connections ' + s.server.connections + ' · live seq ' + s.server.seq + ' · frames out ' + n(s.server.framesOut) + ' · ' + bytes(s.server.bytesOut) + ' out, ' + bytes(s.server.bytesIn) + ' in' + (s.server.syncRate > 0 ? ' · sync rate ' + rate(s.server.syncRate) : '');
  }

  function renderFaults(s) {
    $('faults').replaceChildren(...s.faults.map((f) => el('li', { class: 'fault', 'data-fault': f.name }, el('span', { text: f.description + ' ' }),
      el('button', { type: 'button', class: 'fault-clear', text: 'clear', onclick: () => act('api/faults/clear', { name: f.name }) }))));
    $('no-faults').hidden = s.faults.length > 0;
  }

  function tail(pre, lines) {
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.replaceChildren(...lines);
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }

  function render(s) {
    renderRoles(s);
    renderSite(s);
    renderFaults(s);
    tail($('wire'), s.wire.map((w) => el('div', { class: w.direction }, time(w.at) + '  #' + w.session + ' ' + (w.direction === 'out' ? '→ ' : '← ') + w.t + ' ' + w.text)));
    tail($('live'), s.live.map((l) => el('div', { class: 'live-line', 'data-t': l.t }, time(l.at) + '  seq ' + l.seq + '  ' + l.text)));
    document.body.dataset.updated = String(s.at);
  }

  function setChoices(c) {
    $('fault-names').replaceChildren(...c.faults.map((f) => el('option', { value: f.name + ':' })));
    $('fault-help').textContent = c.faults.map((f) => f.name + ':' + f.usage + '\\n    ' + f.summary).join('\\n');
    $('alarm-classes').replaceChildren(...c.alarmClasses.map((id) => el('option', { value: id })));
    $('event-types').replaceChildren(...c.eventTypes.map((id) => el('option', { value: id })));
    if (!$('alarm-class').value && c.alarmClasses[0]) $('alarm-class').placeholder = 'alarm class id, e.g. ' + c.alarmClasses[0];
    if (!$('event-type').value && c.eventTypes[0]) $('event-type').placeholder = 'event type id, e.g. ' + c.eventTypes[0];
  }

  async function act(path, body) {
    const out = $('result');
    try {
      const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const data = await res.json();
      out.className = res.ok ? 'ok' : 'bad';
      out.textContent = res.ok ? 'done: ' + JSON.stringify(data) : data.code + ': ' + data.message;
    } catch (e) {
      out.className = 'bad';
      out.textContent = 'the server did not answer: ' + e.message;
    }
  }

  $('fault-form').addEventListener('submit', (e) => { e.preventDefault(); act('api/faults', { spec: $('fault-spec').value }); });
  $('fault-clear-all').addEventListener('click', () => act('api/faults/clear', {}));
  $('alarm-form').addEventListener('submit', (e) => { e.preventDefault(); act('api/alarms', { class: $('alarm-class').value || undefined }); });
  $('event-form').addEventListener('submit', (e) => { e.preventDefault(); act('api/events', { type: $('event-type').value || undefined }); });

  const es = new EventSource('events');
  es.addEventListener('choices', (e) => setChoices(JSON.parse(e.data)));
  es.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
  es.onopen = () => { $('status').textContent = 'live'; $('status').className = 'live'; };
  es.onerror = () => { $('status').textContent = 'disconnected, retrying…'; $('status').className = 'down'; };
})();
</script>
</body>
</html>
`;
