/**
 * The report's and the trace viewer's script, inline in the page: it reads the JSON embedded
 * in #report-data and builds the page with textContent only (scenario text never becomes HTML).
 * Plain ES2017, no template literals (the whole script is itself one).
 */
export const HTML_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var app = document.getElementById('app');

  function h(tag, props, kids) {
    var e = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'cls') e.className = v;
        else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function show(v) { return typeof v === 'string' ? v : JSON.stringify(v, null, 2); }
  function ms(t) {
    if (t < 1000) return Math.round(t) + 'ms';
    if (t < 60000) return (t / 1000).toFixed(t < 10000 ? 2 : 1) + 's';
    var m = Math.floor(t / 60000), s = Math.round((t % 60000) / 1000);
    if (m < 60) return m + 'm' + (s ? s + 's' : '');
    var hh = Math.floor(m / 60);
    return hh + 'h' + (m % 60 ? (m % 60) + 'm' : '');
  }
  function badge(status) { return h('span', { cls: 'badge st-' + status, text: status }); }
  function section(title, id, kids) { return h('section', { id: id }, [h('h2', { text: title })].concat(kids)); }
  function mismatchTable(list) {
    return h('table', { cls: 'mismatch' }, [
      h('thead', null, [h('tr', null, [h('th', { text: 'what' }), h('th', { text: 'expected' }), h('th', { text: 'actual' })])]),
      h('tbody', null, list.map(function (m) {
        return h('tr', { cls: 'mismatch-row' }, [
          h('td', { text: m.what }),
          h('td', { cls: 'expected' }, [h('pre', { text: show(m.expected) })]),
          h('td', { cls: 'actual' }, [h('pre', { text: show(m.actual) })])
        ]);
      }))
    ]);
  }

  // ---- the trace viewer -------------------------------------------------------------------
  var COLS = { state: 1, wire: 2, sc: 3, fault: 4, step: 5, expect: 5 };
  var LANES = [['state', 'Role state'], ['wire', 'Wire'], ['sc', 'Security Center'], ['fault', 'Faults'], ['step', 'Steps & expectations']];
  var viewer = { trace: null, rows: [], order: [], pos: 0, lanes: { state: true, wire: true, sc: true, fault: true, step: true } };

  function entryText(e) {
    if (e.lane === 'state') return e.state + (e.detail !== e.state ? ' (' + e.detail.split('.').slice(1).join('.') + ')' : '') + (e.error ? ' \u2014 ' + e.error.code : '') + ' \u00b7 ' + e.role;
    if (e.lane === 'wire') {
      var arrow = e.dir === 'toRole' ? 'SiPass \u2192 role  ' : 'role \u2192 SiPass  ';
      var extra = '';
      if (e.t === 'batch') extra = ' ' + e.fields.type + ' \u00d7' + e.fields.items;
      else if (e.t === 'closed') extra = ': ' + e.fields.reason;
      else if (e.t === 'change') extra = ' ' + e.fields.op + ' ' + e.fields.type + ' ' + e.fields.id;
      else if (e.t === 'alarm' || e.t === 'alarmAck' || e.t === 'alarmClear' || e.t === 'scAck') extra = ' ' + e.fields.occurrenceId;
      else if (e.t === 'event') extra = ' ' + e.fields.eventTypeId;
      else if (e.t === 'error') extra = ' ' + e.fields.code;
      return arrow + '#' + e.session + ' ' + e.t + extra + (e.repeat ? ' (\u00d7' + e.repeat + ')' : '');
    }
    if (e.lane === 'sc') return e.text;
    if (e.lane === 'fault') return e.text === e.action ? e.action : e.action + ': ' + e.text;
    if (e.lane === 'step') return e.phase === 'start' ? '\u25b6 step ' + (e.index + 1) + ': ' + e.label : '\u25a0 step ' + (e.index + 1) + ' ' + e.status + (e.error ? ': ' + e.error.code + ' ' + e.error.message : '');
    if (e.lane === 'expect') return (e.ok ? '\u2713 ' : '\u2717 ') + 'expectation ' + (e.index + 1) + (e.ok ? ' holds' : ': ' + e.mismatches.map(function (m) { return m.what; }).join('; '));
    return '';
  }
  function isBad(e) { return (e.lane === 'expect' && !e.ok) || (e.lane === 'step' && e.phase === 'end' && e.status !== 'passed'); }
  function shown(e) {
    // A passed step's end says nothing its start did not: only failed or errored ends are rows.
    if (e.lane === 'step' && e.phase === 'end' && e.status === 'passed') return false;
    return viewer.lanes[e.lane === 'expect' ? 'step' : e.lane];
  }

  function stateBand(trace) {
    var states = trace.entries.filter(function (e) { return e.lane === 'state'; });
    var band = h('div', { cls: 'band', title: 'role state over simulated time' });
    var total = trace.simulatedMs;
    states.forEach(function (e, i) {
      var next = states[i + 1];
      var end = next ? next.at : total;
      var share = total > 0 ? (end - e.at) / total : 1 / states.length;
      if (share <= 0) return;
      band.appendChild(h('i', { cls: 'b-' + e.state, style: 'width:' + (share * 100).toFixed(3) + '%', title: e.state + ' from ' + ms(e.at), text: e.state }));
    });
    return band;
  }

  function renderDetail(e) {
    var box = document.getElementById('trace-detail');
    box.textContent = '';
    if (!e) return;
    box.setAttribute('data-lane', e.lane);
    box.appendChild(h('h3', { text: (e.lane === 'expect' ? 'Expectation' : e.lane === 'sc' ? 'Security Center' : e.lane.charAt(0).toUpperCase() + e.lane.slice(1)) + ' at ' + ms(e.at) + (e.until !== undefined && e.until !== e.at ? ' \u2013 ' + ms(e.until) : '') }));
    box.appendChild(h('p', { text: entryText(e) }));
    if (e.where) box.appendChild(h('p', { cls: 'mono where', text: e.where }));
    if (e.lane === 'expect') {
      if (!e.ok) box.appendChild(mismatchTable(e.mismatches));
      box.appendChild(h('h3', { text: 'Expected (as written)' }));
      box.appendChild(h('pre', { text: show(e.expected) }));
    } else if (e.lane === 'state') {
      if (e.error) box.appendChild(h('pre', { text: e.error.code + ': ' + e.error.message }));
    } else if (e.fields) {
      box.appendChild(h('h3', { text: e.lane === 'wire' ? 'Fields' : 'Details' }));
      box.appendChild(h('pre', { cls: 'fields', text: show(e.fields) }));
    }
  }

  function go(pos) {
    if (viewer.order.length === 0) return;
    pos = Math.max(0, Math.min(viewer.order.length - 1, pos));
    var prev = viewer.rows[viewer.order[viewer.pos]];
    if (prev) prev.classList.remove('current');
    viewer.pos = pos;
    var idx = viewer.order[pos];
    var row = viewer.rows[idx];
    row.classList.add('current');
    row.scrollIntoView({ block: 'nearest' });
    var e = viewer.trace.entries[idx];
    document.getElementById('trace-pos').textContent = (pos + 1) + ' / ' + viewer.order.length + ' \u00b7 ' + ms(e.at);
    document.getElementById('trace-slider').value = String(pos);
    renderDetail(e);
  }
  function nextFailure() {
    for (var p = viewer.pos + 1; p < viewer.order.length; p++) {
      if (isBad(viewer.trace.entries[viewer.order[p]])) return go(p);
    }
  }

  function buildRows() {
    var tbody = document.getElementById('trace-rows');
    tbody.textContent = '';
    viewer.rows = [];
    viewer.order = [];
    viewer.trace.entries.forEach(function (e, i) {
      if (!shown(e)) return;
      var cells = [h('td', { cls: 'mono', text: ms(e.at) })];
      for (var c = 1; c <= 5; c++) cells.push(h('td', c === COLS[e.lane] ? { cls: 'lane-' + e.lane, text: entryText(e), title: entryText(e) } : null));
      var row = h('tr', { 'data-lane': e.lane, 'data-ok': e.lane === 'expect' ? String(e.ok) : null, cls: isBad(e) ? 'bad' : null }, cells);
      var pos = viewer.order.length;
      row.addEventListener('click', function () { go(pos); });
      viewer.rows[i] = row;
      viewer.order.push(i);
      tbody.appendChild(row);
    });
    var slider = document.getElementById('trace-slider');
    slider.max = String(Math.max(0, viewer.order.length - 1));
    viewer.pos = 0;
    go(0);
  }

  function openTrace(index) {
    var trace = data.traces[index];
    viewer.trace = trace;
    var box = document.getElementById('trace');
    box.textContent = '';
    var omitted = Object.keys(trace.omitted || {}).map(function (k) { return trace.omitted[k] + ' ' + k + ' entries left out (cap)'; }).join(', ');
    var lanes = h('span', { cls: 'lanes' }, LANES.map(function (l) {
      var cb = h('input', { type: 'checkbox', 'data-lane': l[0], onchange: function () { viewer.lanes[l[0]] = cb.checked; buildRows(); } });
      cb.checked = viewer.lanes[l[0]];
      return h('label', null, [cb, ' ' + l[1]]);
    }));
    box.appendChild(h('div', { cls: 'trace-box', role: 'dialog', 'aria-label': 'trace of ' + trace.scenario.name }, [
      h('div', { cls: 'trace-head' }, [
        h('h2', { id: 'trace-title', text: trace.scenario.name }), badge(trace.scenario.status),
        h('span', { cls: 'mono mute', text: trace.scenario.file + ' \u00b7 seed ' + trace.scenario.seed + ' \u00b7 simulated ' + ms(trace.simulatedMs) }),
        omitted ? h('span', { cls: 'mute', text: omitted }) : null,
        h('span', { style: 'margin-left:auto' }, [h('button', { id: 'trace-close', text: data.kind === 'trace' ? 'All traces' : 'Close (Esc)', onclick: closeTrace })])
      ]),
      h('div', { cls: 'trace-controls' }, [
        h('button', { id: 'trace-first', title: 'first (Home)', text: 'first', onclick: function () { go(0); } }),
        h('button', { id: 'trace-prev', title: 'previous (\u2190)', text: '\u25c0 prev', onclick: function () { go(viewer.pos - 1); } }),
        h('button', { id: 'trace-next', title: 'next (\u2192)', text: 'next \u25b6', onclick: function () { go(viewer.pos + 1); } }),
        h('button', { id: 'trace-next-failure', title: 'next failed expectation (f)', text: 'next failure \u25b6\u25b6', onclick: nextFailure }),
        h('input', { id: 'trace-slider', type: 'range', min: '0', value: '0', oninput: function (ev) { go(Number(ev.target.value)); } }),
        h('span', { id: 'trace-pos', cls: 'mono' }),
        lanes
      ]),
      stateBand(trace),
      h('div', { cls: 'trace-body' }, [
        h('div', { cls: 'timeline' }, [h('table', null, [
          h('colgroup', null, ['at', 'state', 'wire', 'sc', 'fault', 'step'].map(function (c) { return h('col', { cls: 'c-' + c }); })),
          h('thead', null, [h('tr', null, ['sim time', 'role state', 'wire', 'Security Center', 'faults', 'steps & expectations'].map(function (t) { return h('th', { text: t }); }))]),
          h('tbody', { id: 'trace-rows' })
        ])]),
        h('div', { id: 'trace-detail', cls: 'detail' })
      ])
    ]));
    box.classList.add('open');
    buildRows();
  }
  function closeTrace() {
    document.getElementById('trace').classList.remove('open');
    viewer.trace = null;
  }
  document.addEventListener('keydown', function (ev) {
    if (!viewer.trace) return;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') { go(viewer.pos + 1); ev.preventDefault(); }
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') { go(viewer.pos - 1); ev.preventDefault(); }
    else if (ev.key === 'Home') go(0);
    else if (ev.key === 'End') go(viewer.order.length - 1);
    else if (ev.key === 'f') nextFailure();
    else if (ev.key === 'Escape') closeTrace();
  });
  function traceButton(index) {
    return h('button', { cls: 'open-trace', text: 'Trace', title: 'step through this scenario on a timeline', onclick: function (ev) { ev.preventDefault(); openTrace(index); } });
  }

  // ---- the report -------------------------------------------------------------------------
  function openScenario(i) {
    var d = document.getElementById('sc-' + i);
    d.open = true;
    d.scrollIntoView({ block: 'start' });
  }

  function renderReport() {
    var s = data.summary;
    app.appendChild(h('header', null, [h('h1', { text: 'sipass-testbench' }), badge(s.status), h('span', { cls: 'mute', text: 'version ' + s.version })]));
    var main = h('main');
    app.appendChild(main);
    function card(label, value, id) { return h('div', { cls: 'card', 'data-card': id }, [h('span', { cls: 'mute', text: label }), h('b', { text: String(value) })]); }
    main.appendChild(section('Summary', 'summary', [h('div', { cls: 'cards' }, [
      card('passed', s.passed, 'passed'), card('failed', s.failed, 'failed'), card('errored', s.errored, 'errored'), card('skipped', s.skipped, 'skipped'),
      card('wall time', s.wall, 'wall'), card('simulated time', s.simulated, 'simulated'), card('seed', s.seed, 'seed'), card('version', s.version, 'version'),
      card('traces', s.traceMode + (data.traces.length ? ' (' + data.traces.length + ' kept)' : ''), 'traces')
    ]), s.traceDir ? h('p', { cls: 'mute' }, ['Trace files: ', h('code', { text: s.traceDir }), ' (open one with ', h('code', { text: 'sipass-testbench show-trace FILE' }), ')']) : null]));

    var bad = data.scenarios.map(function (r, i) { return { r: r, i: i }; }).filter(function (x) { return x.r.status !== 'passed'; });
    if (bad.length > 0) {
      main.appendChild(section('Failures', 'failures', [h('ul', null, bad.map(function (x) {
        var step = x.r.steps.filter(function (st) { return st.status !== 'passed'; })[0];
        var why = step ? (step.error ? step.error.code + ': ' + step.error.message : step.mismatches.map(function (m) { return m.what; }).join('; ')) : (x.r.error ? x.r.error.code + ': ' + x.r.error.message : 'invariant violated');
        return h('li', { cls: 'failure' }, [badge(x.r.status), ' ',
          h('a', { href: '#sc-' + x.i, cls: 'failure-link', text: x.r.name, onclick: function (ev) { ev.preventDefault(); openScenario(x.i); } }),
          ' ', h('span', { cls: 'mono mute', text: step ? step.where : x.r.file }), ' \u2014 ', why]);
      }))]));
    }

    var ruleIds = data.rules.map(function (r) { return r.id; });
    main.appendChild(section('Rule matrix', 'matrix', [h('div', { cls: 'matrix' }, [h('table', null, [
      h('thead', null, [h('tr', null, [h('th', { text: 'scenario' })].concat(data.rules.map(function (r) {
        return h('th', { cls: 'rule', title: r.title }, [h('a', { href: '#rule-' + r.id.toLowerCase(), text: r.id, onclick: function () { document.getElementById('rule-' + r.id.toLowerCase()).open = true; } })]);
      })))]),
      h('tbody', null, data.scenarios.map(function (r, i) {
        return h('tr', null, [h('td', null, [h('a', { href: '#sc-' + i, text: r.name, onclick: function (ev) { ev.preventDefault(); openScenario(i); } })])].concat(ruleIds.map(function (id) {
          var on = r.rules.indexOf(id) >= 0;
          return h('td', { cls: 'cell' + (on ? ' on ' + r.status : ''), title: on ? id + ': ' + r.status : '', text: on ? (r.status === 'passed' ? '\u2713' : '\u2717') : '' });
        })));
      })),
      h('tfoot', null, [h('tr', null, [h('td', { text: 'scenarios covering (failing)' })].concat(data.rules.map(function (r) {
        return h('td', { cls: 'cell', text: r.scenarios + (r.failing ? ' (' + r.failing + ')' : '') });
      })))])
    ])])]));

    main.appendChild(section('Rules (docs/rules.md)', 'rules', data.rules.map(function (r) {
      return h('details', { cls: 'rule', id: 'rule-' + r.id.toLowerCase() }, [h('summary', null, [h('b', { text: r.id }), ' \u2014 ' + r.title, h('span', { cls: 'mute', text: '  ' + r.scenarios + ' scenario(s)' })]), h('div', { cls: 'rule-text', text: r.text })]);
    })));

    main.appendChild(section('Scenarios', 'scenarios', data.scenarios.map(function (r, i) {
      var rows = [];
      r.steps.forEach(function (st) {
        rows.push(h('tr', { cls: 'step step-' + st.status, 'data-status': st.status }, [
          h('td', { text: String(st.index + 1) }), h('td', null, [badge(st.status)]), h('td', { text: st.label }),
          h('td', { cls: 'mono where', text: st.where }), h('td', { cls: 'mono', text: st.at })
        ]));
        if (st.mismatches.length > 0 || st.error) {
          rows.push(h('tr', { cls: 'step-detail' }, [h('td'), h('td', { colspan: '4' }, [
            st.error ? h('pre', { cls: 'error', text: st.error.code + ': ' + st.error.message }) : null,
            st.mismatches.length ? mismatchTable(st.mismatches) : null
          ])]));
        }
      });
      return h('details', { cls: 'scenario', id: 'sc-' + i, 'data-status': r.status, 'data-file': r.file }, [
        h('summary', null, [badge(r.status), h('b', { text: r.name }), h('span', { cls: 'mono mute', text: r.file }),
          h('span', { cls: 'mute', text: r.rules.join(' ') + ' \u00b7 wall ' + r.wall + ' \u00b7 simulated ' + r.simulated }),
          r.trace !== undefined ? traceButton(r.trace) : null]),
        r.error ? h('pre', { cls: 'error', text: r.error.code + ': ' + r.error.message }) : null,
        r.invariantViolations.length ? h('ul', null, r.invariantViolations.map(function (v) { return h('li', { text: 'invariant ' + v.invariant + ' at ' + ms(v.simulatedAt) + ': ' + v.message }); })) : null,
        h('table', { cls: 'steps' }, [h('thead', null, [h('tr', null, ['#', 'result', 'step', 'file:line', 'at (simulated)'].map(function (t) { return h('th', { text: t }); }))]), h('tbody', null, rows)])
      ]);
    })));
    if (data.notRun.length) {
      main.appendChild(section('Not run', 'not-run', [h('ul', null, data.notRun.map(function (n) {
        return h('li', null, [badge(n.reason), ' ' + n.name + ' ', h('span', { cls: 'mono mute', text: n.file })]);
      }))]));
    }
  }

  function renderTraceList() {
    app.appendChild(h('header', null, [h('h1', { text: 'sipass-testbench trace' }), h('span', { cls: 'mute', text: data.traces.length + ' trace(s)' })]));
    app.appendChild(h('main', null, [section('Traces', 'traces', [h('ul', null, data.traces.map(function (t, i) {
      return h('li', null, [badge(t.scenario.status), ' ' + t.scenario.name + ' ', h('span', { cls: 'mono mute', text: t.scenario.file }), ' ', traceButton(i)]);
    }))])]));
  }

  if (data.kind === 'report') renderReport(); else renderTraceList();
  app.appendChild(h('div', { id: 'trace' }));
  if (data.kind === 'trace' && data.traces.length > 0) openTrace(0);
})();
`;
