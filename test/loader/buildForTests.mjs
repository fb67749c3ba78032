/**
 * `npm test`'s build: every TypeScript file of the project (tests included)
 * transpiled to dist/ with source maps, one file at a time, no type check
 * (`npm run typecheck` does that, and CI runs it before `npm test`).
 *
 * Why not tsc: the tests need JavaScript, not types, and tsc's type check of
 * the whole project costs ~22 CPU-s, about 15% of `npm test`'s budget, where
 * this costs ~6. The output is the same JavaScript: tsconfig.json sets
 * isolatedModules and verbatimModuleSyntax, which make a file's emit depend on
 * that file alone. `npm run build` (tsc) still makes the published dist/.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

let count = 0;
for (const file of config.include.flatMap(sources)) {
  const rel = path.relative(ROOT, file);
  const js = path.join(OUT, rel.slice(0, -3) + '.js');
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
console.log(`build for tests: ${count} files transpiled to ${path.relative(process.cwd(), OUT) || '.'}/`);
