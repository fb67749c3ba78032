import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The files `npm pack` would put in the tarball (of the dist `npm test` has just built). */
async function pack(): Promise<string[]> {
  // --ignore-scripts: no rebuild here (prepack cleans and rebuilds dist for a real pack).
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return (pack?.files ?? []).map((f) => f.path);
}

/** One pack for both tests (npm takes seconds to start). */
const packed = pack();
const packedFiles = (): Promise<string[]> => packed;

t.test('the tarball holds what a consumer runs, and nothing else', async (t) => {
  const files = await packedFiles();
  for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/schema/scenario.schema.json', 'dist/schema/fragment.schema.json', 'docs/rules.md', 'scenarios/default-site.yaml']) {
    t.ok(files.includes(needed), `${needed} is packed (run npm run build first)`);
  }
  t.same(files.filter((f) => f.endsWith('.map')), [], 'no source map (they would point at sources not shipped)');
  t.same(files.filter((f) => /^dist\/(fuzz|test|bench-results)\//.test(f)), [], 'no fuzzer, no tests, no bench scratch');
  t.same(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')), [], 'no TypeScript sources');
  t.same(files.filter((f) => !/^(dist|docs|scenarios)\/|^(README\.md|package\.json|LICENSE)$/.test(f)), [], 'only dist, docs, scenarios and the package files');
});

t.test('every export subpath names a packed file', async (t) => {
  const files = new Set(await packedFiles());
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>>; bin: Record<string, string> };
  const targets = Object.values(pkg.exports).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));
  for (const target of [...targets, ...Object.values(pkg.bin)]) t.ok(files.has(target.replace(/^\.\//, '')), `${target} is packed`);
});
