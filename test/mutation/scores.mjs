// Sums Stryker JSON reports (mutation-testing-report-schema) per folder, and lists the mutants that
// survived or had no coverage, so they can be judged (docs/testing.md "Mutation testing").
// A folder measured in several runs (one file or subfolder at a time) is the sum of its reports;
// a file in two reports counts from the last one given.
//
//   node test/mutation/scores.mjs reports/mutation/role.json reports/mutation/connection.json ...
//   node test/mutation/scores.mjs --survivors reports/mutation/*.json
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const files = new Map();
for (const f of args.filter((a) => !a.startsWith('--'))) {
  const report = JSON.parse(readFileSync(f, 'utf8'));
  for (const [name, data] of Object.entries(report.files)) files.set(name, data);
}

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'CompileError', 'RuntimeError', 'Ignored'];
const folders = new Map();
const rows = [];
for (const [name, data] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const folder = path.dirname(name).split('/')[0] + '/';
  const c = folders.get(folder) ?? Object.fromEntries(STATUSES.map((s) => [s, 0]));
  const lines = data.source.split('\n');
  for (const m of data.mutants) {
    c[m.status] = (c[m.status] ?? 0) + 1;
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      const { start, end } = m.location;
      const text = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}...`;
      rows.push(`${name}:${start.line}:${start.column} ${m.status === 'Survived' ? 'survived' : 'no coverage'} ${m.mutatorName}: ${JSON.stringify(text.trim().slice(0, 80))} -> ${JSON.stringify((m.replacement ?? '').slice(0, 80))}`);
    }
  }
  folders.set(folder, c);
}

const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);
console.log('folder | killed | timeout | survived | no coverage | errors | score (killed+timeout over the rest)');
for (const [folder, c] of folders) {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  console.log(`${folder} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError + c.RuntimeError} | ${pct(detected, valid)} of ${valid}`);
}
if (survivors) for (const r of rows) console.log(r);
