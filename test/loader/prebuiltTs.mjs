/**
 * Node module hooks that run this project's TypeScript for the tests, cheaply.
 *
 * Why: tap's own TypeScript support (ts-node) loads the TypeScript compiler
 * into every test process (~0.8 CPU-s) and transpiles every imported module
 * again in every process (up to ~6 CPU-s for a test that imports the CLI):
 * most of `npm test`'s cost. `npm test` compiles the whole project, tests
 * included, once with tsc (`npm run build:test`, into dist/); these hooks then
 * load `dist/<path>.js` for `<path>.ts` when it is at least as new as the
 * source. A source edited since the build (or never built) is transpiled here
 * instead, so `npx tap test/x.test.ts` is always correct, just slower.
 *
 * Modules keep their source URLs (import.meta.url is the .ts file, so paths
 * relative to a test work as before), and the source map is kept, so stack
 * traces and coverage point at the TypeScript lines.
 */
import { Buffer } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'dist');
const ROOT_PREFIX = ROOT + path.sep;

/** A project source file (not a dependency, not build output). */
function isProjectTs(file) {
  if (!file.startsWith(ROOT_PREFIX) || !file.endsWith('.ts') || file.endsWith('.d.ts')) return false;
  const rel = file.slice(ROOT_PREFIX.length);
  return !rel.startsWith(`node_modules${path.sep}`) && !rel.startsWith(`dist${path.sep}`);
}

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** `import './x.js'` from a project .ts file means ./x.ts (TypeScript's NodeNext convention). */
export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent?.startsWith('file:') && specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
    const parentFile = fileURLToPath(parent);
    if (isProjectTs(parentFile)) {
      const ts = path.resolve(path.dirname(parentFile), specifier.slice(0, -3) + '.ts');
      if (mtime(ts) !== undefined) return { url: pathToFileURL(ts).href, format: 'module', shortCircuit: true };
    }
  }
  return nextResolve(specifier, context);
}

let typescript;

/** The fallback: transpile one file (no type check; `npm run typecheck` does that). */
async function transpile(file) {
  typescript ??= (await import('typescript')).default;
  const ts = typescript;
  const out = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, inlineSourceMap: true, inlineSources: true },
  });
  return out.outputText;
}

/**
 * The prebuilt JavaScript with its source map inlined, the map's sources made
 * absolute: coverage (v8-to-istanbul) resolves relative sources against the
 * module's URL, which is the .ts file here, not the map's place in dist/.
 */
function prebuilt(file) {
  const js = path.join(OUT, file.slice(ROOT_PREFIX.length, -3) + '.js');
  const built = mtime(js);
  const source = mtime(file);
  if (built === undefined || source === undefined || built < source) return undefined;
  const text = readFileSync(js, 'utf8');
  const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text);
  if (!m) return text;
  const mapFile = path.resolve(path.dirname(js), m[1]);
  let map;
  try {
    map = JSON.parse(readFileSync(mapFile, 'utf8'));
  } catch {
    return text.slice(0, m.index);
  }
  const base = path.resolve(path.dirname(mapFile), map.sourceRoot ?? '');
  map.sources = map.sources.map((s) => path.resolve(base, s));
  map.sourceRoot = '';
  return `${text.slice(0, m.index)}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) {
    const file = fileURLToPath(url);
    if (isProjectTs(file)) {
      const source = prebuilt(file) ?? (await transpile(file));
      return { format: 'module', source, shortCircuit: true };
    }
  }
  return nextLoad(url, context);
}
