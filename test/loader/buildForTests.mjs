/**
 * `npm test`'s build of what `npm run build` leaves out: the tests (and any
 * source edited since the last build), transpiled to dist/ with source maps,
 * one file at a time, no type check (`npm run typecheck` checks the tests;
 * CI runs it before `npm test`). A file whose dist/ output is at least as new
 * as the source is skipped, so after `npm run build` only test/ is done.
 *
 * The output is the JavaScript tsc would write: tsconfig.json sets
 * isolatedModules and verbatimModuleSyntax, which make a file's emit depend on
 * that file alone (checked file for file against tsc's output). It exists so
 * the test processes load plain JavaScript (test/loader/prebuiltTs.mjs)
 * instead of compiling TypeScript each (docs/testing.md).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import console from 'node:console';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'dist');
const config = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));

function sources(rel) {
  const abs = path.join(ROOT, rel);
  if (rel.endsWith('.ts')) return rel.endsWith('.d.ts') ? [] : [abs];
  const out = [];
  for (const e of readdirSync(abs, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const child = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...sources(child));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(path.join(ROOT, child));
  }
  return out;
}

const options = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  sourceMap: true,
};

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

let count = 0;
for (const file of config.include.flatMap(sources)) {
  const rel = path.relative(ROOT, file);
  const js = path.join(OUT, rel.slice(0, -3) + '.js');
  if (mtime(js) >= mtime(file)) continue;
  const r = ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions: options, reportDiagnostics: true });
  const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    for (const d of errors) console.error(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    process.exit(1);
  }
  const map = JSON.parse(r.sourceMapText);
  map.file = path.basename(js);
  map.sources = [path.relative(path.dirname(js), file).split(path.sep).join('/')];
  mkdirSync(path.dirname(js), { recursive: true });
  writeFileSync(js, r.outputText.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${path.basename(js)}.map\n`));
  writeFileSync(`${js}.map`, JSON.stringify(map));
  count++;
}
console.log(`build for tests: ${count} file(s) transpiled to ${path.relative(process.cwd(), OUT) || '.'}/ (the rest was up to date)`);
