// Sums Stryker JSON reports (mutation-testing-report-schema) per folder, and lists the mutants that
// survived or had no coverage, so they can be judged (docs/testing.md "Mutation testing").
// A folder measured in several runs (one file or subfolder at a time) is the sum of its reports.
// A file in two reports: if its source is the same in both, each mutant counts from the last
// report that has it (a re-run of only the survivors' ranges, `--mutate 'file:10-12'`, updates
// those mutants and keeps the rest); if the source changed, the file counts from the last report.
//
//   node test/mutation/scores.mjs reports/mutation/role.json reports/mutation/connection.json ...
//   node test/mutation/scores.mjs --survivors reports/mutation/*.json
//   node test/mutation/scores.mjs --by-file --equivalents docs/testing.md reports/mutation/sc.json
//
// --by-file: a markdown table per file, per folder (plugin/sync/) and per top folder (plugin/).
// --per-file: one table for files measured in different runs at different commits: per file, the
// commit whose version of the file the report measured (the newest commit on HEAD's history with
// that exact text, found with git), whether the file is identical at HEAD, its figures (killed +
// timeout, survived + no coverage, raw score, equivalent, adjusted), and per top folder the sums.
// A report's file that is not in HEAD's history (uncommitted edits) shows `not committed`.
//
//   node test/mutation/scores.mjs --per-file --equivalents docs/testing.md reports/mutation/role.json@46941fc ...
// --at FILE:LINE[,FILE:LINE...]: every mutant starting on those lines and what became of it (which
// test file killed it): the evidence that a behaviour's test catches the mutants that break it.
// --equivalents FILE: survivors judged equivalent are set aside in an "adjusted" score. They are
// read from FILE's markdown table rows whose first cell names `path:line:column` (more columns of
// the same file as `, line:column`): every survived or uncovered mutant that starts exactly there
// is set aside, and a listed place no survivor starts at is reported (the list is out of date).
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const perFile = args.includes('--per-file');
const byFile = args.includes('--by-file') || perFile;
const eqAt = args.indexOf('--equivalents');
const eqFile = eqAt >= 0 ? args[eqAt + 1] : undefined;
const atAt = args.indexOf('--at');
const atLines = atAt >= 0 ? args[atAt + 1].split(',').map((x) => x.trim()) : [];
const files = new Map();
const testNames = new Map();
// A report may be named `file.json@commit`: the commit it was run at (a Stryker report does not say),
// shown by --per-file in its "measured at" column.
const measuredAt = new Map();
for (const arg of args.filter((a, i) => !a.startsWith('--') && !(eqAt >= 0 && i === eqAt + 1) && !(atAt >= 0 && i === atAt + 1))) {
  const [f, at] = arg.split('@');
  const report = JSON.parse(readFileSync(f, 'utf8'));
  for (const [name, data] of Object.entries(report.files)) {
    const same = files.get(name)?.source === data.source;
    const list = same ? (measuredAt.get(name) ?? []) : [];
    if (at && !list.includes(at)) list.push(at);
    measuredAt.set(name, list);
  }
  for (const [file, tf] of Object.entries(report.testFiles ?? {})) for (const t of tf.tests ?? []) testNames.set(`${f}#${t.id}`, file || t.name);
  for (const data of Object.values(report.files)) for (const m of data.mutants) m.report = f;
  for (const [name, data] of Object.entries(report.files)) {
    const before = files.get(name);
    if (!before || before.source !== data.source) {
      files.set(name, data);
      continue;
    }
    const key = (m) => `${m.location.start.line}:${m.location.start.column}:${m.location.end.line}:${m.location.end.column}:${m.mutatorName}:${m.replacement ?? ''}`;
    const merged = new Map(before.mutants.map((m) => [key(m), m]));
    for (const m of data.mutants) merged.set(key(m), m);
    files.set(name, { ...data, mutants: [...merged.values()] });
  }
}

/** Places (`path:line:column`) listed as equivalent: first cells of markdown table rows. */
function readEquivalents(file) {
  const places = new Set();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cell = /^\|\s*([^|]+?)\s*\|/.exec(line)?.[1];
    const head = cell && /^([\w./-]+\.ts):(\d+:\d+(?:\s*,\s*\d+:\d+)*)$/.exec(cell);
    if (!head) continue;
    for (const at of head[2].split(',')) places.add(`${head[1]}:${at.trim()}`);
  }
  return places;
}
const equivalents = eqFile ? readEquivalents(eqFile) : new Set();
const usedEquivalents = new Set();

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored'];
const zero = () => ({ ...Object.fromEntries(STATUSES.map((s) => [s, 0])), Equivalent: 0 });
const groups = new Map();
const add = (key, status, equivalent) => {
  const c = groups.get(key) ?? zero();
  c[status] = (c[status] ?? 0) + 1;
  if (equivalent) c.Equivalent += 1;
  groups.set(key, c);
};
const rows = [];
for (const [name, data] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const parts = path.dirname(name).split('/');
  const keys = byFile ? [`${parts[0]}/`, ...(parts.length > 1 ? [`${path.dirname(name)}/`] : []), name] : [`${parts[0]}/`];
  const lines = data.source.split('\n');
  for (const m of data.mutants) {
    const { start, end } = m.location;
    const place = `${name}:${start.line}:${start.column}`;
    const open = m.status === 'Survived' || m.status === 'NoCoverage';
    const equivalent = open && equivalents.has(place);
    if (equivalent) usedEquivalents.add(place);
    for (const k of keys) add(k, m.status, equivalent);
    if (open) {
      const text = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}...`;
      rows.push(`${place} ${m.status === 'Survived' ? 'survived' : 'no coverage'}${equivalent ? ' (equivalent)' : ''} ${m.mutatorName}: ${JSON.stringify(text.trim().slice(0, 80))} -> ${JSON.stringify((m.replacement ?? '').slice(0, 80))}`);
    }
  }
}

const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);

const git = (...a) => execFileSync('git', a, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] }).trim();
const blobOf = (text) => execFileSync('git', ['hash-object', '--stdin'], { input: text, encoding: 'utf8' }).trim();
/** The newest commit on HEAD's history whose version of `name` is `source`, and whether HEAD's is. */
function versionOf(name, source) {
  const blob = blobOf(source);
  let atHead;
  try {
    atHead = git('rev-parse', `HEAD:${name}`);
  } catch {
    atHead = undefined;
  }
  for (const commit of git('log', '--format=%h', 'HEAD', '--', name).split('\n').filter(Boolean)) {
    let there;
    try {
      there = git('rev-parse', `${commit}:${name}`);
    } catch {
      continue;
    }
    if (there === blob) return { commit, identical: atHead === blob };
  }
  return { commit: 'not committed', identical: atHead === blob };
}

if (perFile) {
  console.log('| file | measured at | its version (last changed in) | identical at HEAD | mutants | killed + timeout | survived + no coverage | score | equivalent | adjusted |');
  console.log('| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const line = (label, at, version, same, c) => {
    const detected = c.Killed + c.Timeout;
    const open = c.Survived + c.NoCoverage;
    const valid = detected + open;
    console.log(`| ${label} | ${at} | ${version} | ${same} | ${valid} | ${detected} | ${open} | ${pct(detected, valid)} | ${c.Equivalent} | ${pct(detected, valid - c.Equivalent)} |`);
  };
  const tops = [...new Set([...files.keys()].map((n) => `${n.split('/')[0]}/`))].sort();
  for (const top of tops) {
    let changed = 0;
    const names = [...files.keys()].filter((n) => n.startsWith(top)).sort();
    for (const name of names) {
      const v = versionOf(name, files.get(name).source);
      if (!v.identical) changed += 1;
      line(name, (measuredAt.get(name) ?? []).join(' + ') || '?', v.commit, v.identical ? 'yes' : '**no**', groups.get(name));
    }
    line(`**${top} (${names.length} files)**`, 'as above', 'as above', changed === 0 ? 'yes, all' : `**no: ${changed} changed**`, groups.get(top));
  }
} else if (byFile) {
  console.log('| file or folder | mutants | killed | timeout | survived | no coverage | score | equivalent | adjusted |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  // Top folders last, folders before their files.
  const order = [...groups.keys()].sort((a, b) => (a.split('/').length === 2) - (b.split('/').length === 2) || a.localeCompare(b));
  for (const key of order) {
    const c = groups.get(key);
    const detected = c.Killed + c.Timeout;
    const valid = detected + c.Survived + c.NoCoverage;
    const label = key.endsWith('/') ? `**${key}**` : key;
    console.log(`| ${label} | ${valid} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${pct(detected, valid)} | ${c.Equivalent} | ${pct(detected, valid - c.Equivalent)} |`);
  }
} else {
  console.log('folder | killed | timeout | survived | no coverage | errors | score (killed+timeout over the rest)');
  for (const [folder, c] of groups) {
    const detected = c.Killed + c.Timeout;
    const valid = detected + c.Survived + c.NoCoverage;
    const adjusted = eqFile ? ` | adjusted ${pct(detected, valid - c.Equivalent)} (${c.Equivalent} equivalent set aside)` : '';
    console.log(`${folder} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError + c.RuntimeError} | ${pct(detected, valid)} of ${valid}${adjusted}`);
  }
}
if (survivors) for (const r of rows) console.log(r);
for (const at of atLines) {
  const [name, line] = [at.replace(/:\d+$/, ''), Number(at.replace(/^.*:/, ''))];
  const data = files.get(name);
  if (!data) {
    console.log(`${at}: not in these reports`);
    continue;
  }
  for (const m of data.mutants.filter((x) => x.location.start.line === line)) {
    const by = (m.killedBy ?? []).map((id) => testNames.get(`${m.report}#${id}`) ?? id).join(', ');
    console.log(`${name}:${line}:${m.location.start.column} ${m.mutatorName} -> ${JSON.stringify((m.replacement ?? '').slice(0, 60))}: ${m.status}${by ? ` by ${by}` : ''}`);
  }
}
if (eqFile) {
  const measured = new Set(files.keys());
  const stale = [...equivalents].filter((p) => measured.has(p.replace(/:\d+:\d+$/, '')) && !usedEquivalents.has(p));
  if (stale.length > 0) console.log(`listed as equivalent but no survivor starts there (out of date?): ${stale.join(', ')}`);
}
