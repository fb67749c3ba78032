/** The report's and the trace viewer's CSS (system fonts only: nothing is fetched). */
export const HTML_STYLES = `
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2330; --mute: #667085; --line: #e3e6ec; --ok: #1a7f37; --okbg: #dafbe1; --bad: #cf222e; --badbg: #ffebe9; --warn: #9a6700; --warnbg: #fff8c5; --info: #0969da; --sel: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--ink); }
header { display: flex; gap: 14px; align-items: baseline; flex-wrap: wrap; padding: 10px 16px; background: #1d2330; color: #fff; }
header h1 { font-size: 16px; margin: 0; }
header .mute { color: #b8c0cc; }
main { padding: 12px 16px; display: grid; gap: 12px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--mute); margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--mute); font-weight: 600; }
code, pre, .mono { font: 12px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
a { color: var(--info); text-decoration: none; } a:hover { text-decoration: underline; }
button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { background: var(--sel); }
.mute { color: var(--mute); }
.badge { display: inline-block; padding: 0 7px; border-radius: 9px; font-weight: 600; font-size: 12px; }
.st-passed { color: var(--ok); background: var(--okbg); } .st-failed, .st-error { color: var(--bad); background: var(--badbg); } .st-interrupted, .st-bail { color: var(--warn); background: var(--warnbg); }
.cards { display: flex; flex-wrap: wrap; gap: 8px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 110px; }
.card b { display: block; font-size: 18px; }
.matrix { overflow-x: auto; }
.matrix th.rule, .matrix td.cell { text-align: center; width: 34px; padding: 2px; }
.matrix td.cell.on.passed { background: var(--okbg); color: var(--ok); }
.matrix td.cell.on.failed, .matrix td.cell.on.error { background: var(--badbg); color: var(--bad); font-weight: 700; }
.matrix tfoot td { font-weight: 600; color: var(--mute); }
details.scenario { border-top: 1px solid var(--line); padding: 4px 0; }
details.scenario > summary { cursor: pointer; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
details.scenario[open] > summary { margin-bottom: 6px; }
tr.step-failed td, tr.step-error td { background: var(--badbg); }
table.mismatch { margin: 4px 0 6px; border: 1px solid var(--line); }
table.mismatch th { background: var(--bg); }
table.mismatch td.expected { background: var(--okbg); } table.mismatch td.actual { background: var(--badbg); }
.rule-text { white-space: pre-wrap; margin: 4px 0 8px; }
details.rule > summary { cursor: pointer; }
#trace { position: fixed; inset: 0; background: rgba(20, 24, 33, .45); display: none; padding: 20px; z-index: 10; }
#trace.open { display: block; }
.trace-box { background: var(--card); border-radius: 8px; height: 100%; display: grid; grid-template-rows: auto auto auto 1fr; gap: 8px; padding: 12px; }
.trace-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.trace-head h2 { margin: 0; text-transform: none; letter-spacing: 0; color: var(--ink); font-size: 15px; }
.trace-controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.trace-controls input[type=range] { flex: 1; min-width: 200px; }
.band { display: flex; height: 16px; border-radius: 4px; overflow: hidden; border: 1px solid var(--line); }
.band i { display: block; height: 100%; font-style: normal; font-size: 10px; color: #fff; overflow: hidden; white-space: nowrap; padding-left: 3px; }
.band .b-ready { background: var(--ok); } .band .b-syncing { background: var(--info); } .band .b-connecting { background: var(--warn); } .band .b-unconfigured { background: var(--mute); }
.trace-body { display: grid; grid-template-columns: minmax(0, 3fr) minmax(280px, 2fr); gap: 10px; min-height: 0; }
.timeline { overflow: auto; border: 1px solid var(--line); border-radius: 4px; }
.timeline table { table-layout: fixed; }
.timeline th { position: sticky; top: 0; background: var(--card); z-index: 1; }
.timeline td { font-size: 12px; cursor: pointer; overflow-wrap: anywhere; }
.timeline tr.current td { background: var(--sel); outline: 1px solid var(--info); }
.timeline tr.bad td.lane-expect, .timeline tr.bad td.lane-step { color: var(--bad); font-weight: 600; }
.timeline td.lane-state { color: var(--info); font-weight: 600; }
.timeline td.lane-fault { color: var(--warn); }
.timeline td.lane-sc { color: #6f42c1; }
.timeline col.c-at { width: 64px; } col.c-state { width: 15%; } col.c-wire { width: 25%; } col.c-sc { width: 20%; } col.c-fault { width: 12%; } col.c-step { width: 28%; }
.detail { overflow: auto; border: 1px solid var(--line); border-radius: 4px; padding: 8px; }
.detail h3 { margin: 0 0 6px; font-size: 13px; }
.lanes label { margin-right: 8px; }
`;
