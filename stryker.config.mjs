// Mutation testing (issue 13, docs/testing.md "Mutation testing"). Not part of `npm test`:
// run it with `npm run mutate`, or on one file: `npm run mutate -- --mutate protocol/frameDecoder.ts`.
//
// How it runs: Stryker copies the project into .stryker-tmp/, instruments the files to mutate,
// then `buildCommand` compiles every .ts to a .js beside it (tsc --noCheck: transpile only,
// the instrumented code is not type-correct). The tap runner then runs each compiled test file
// with plain node (no TypeScript loader per mutant: ~0.3 s instead of ~2 s CPU a file), and with
// per-test coverage only the test files that reach a mutant run for it.
//
// Test files: the fast in-process ones that exercise the mutated folders (the scenario suite
// runs in process through test/mutation/scenarioSuite.mutation.ts; the CLI tests run dist/,
// which Stryker does not mutate, so they are left out). MUTATE_TESTS (comma-separated globs of
// .test.ts/.ts files) narrows the set for a quick run on one folder.

import { glob } from 'glob';

// Cheapest first: a mutant runs the files that reach it in this order and stops at the first
// that fails (forceBail), so a unit test that kills it in 0.3 s spares the scenario suite's 15 s.
const DEFAULT_TESTS = [
  'test/protocol/**/*.test.ts',
  // The plugin's unit tests one by one (not their group file, test/plugin/units.group.test.ts):
  // a mutant then runs only the files that reach it.
  'test/plugin/units/*.test.ts',
  'test/plugin/!(*.group).test.ts',
  'test/simulator/**/*.test.ts',
  'test/harness/runner.test.ts',
  'test/property/{partitions,recipients,machinePaths,ports,faultSchedule}.test.ts',
  'test/e2e/**/*.test.ts',
  'test/mutation/*.mutation.ts',
];

// The globs are expanded here, in the order given (sorted within one glob): the tap runner globs
// them all at once, and glob's order is the file system's (the scenario suite came first).
// `glob` is the package the tap runner itself expands them with. Stryker runs the compiled
// tests: the same names with .js (the .ts files are the ones that exist before the build).
const patterns = (process.env.MUTATE_TESTS ? process.env.MUTATE_TESTS.split(',') : DEFAULT_TESTS).map((g) => g.trim());
const tests = [];
for (const pattern of patterns) {
  for (const file of (await glob(pattern, { posix: true, ignore: ['**/node_modules/**'] })).sort()) {
    const compiled = file.replace(/\.ts$/, '.js');
    if (!tests.includes(compiled)) tests.push(compiled);
  }
}
if (tests.length === 0) throw new Error(`no test file matches ${patterns.join(', ')}`);

// Property tests run a quarter of their usual cases per mutant (test/helpers/fcRun.ts scales by
// FC_NUM_RUNS): a mutant is killed by the first failing case, and there are hundreds of mutants.
process.env.FC_NUM_RUNS ??= '0.25';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: { testFiles: tests, forceBail: true },
  buildCommand: 'npx tsc -p tsconfig.json --outDir . --noCheck --declaration false --sourceMap false',
  mutate: [
    'protocol/**/*.ts',
    'plugin/**/*.ts',
    'simulator/**/*.ts',
    'harness/runner/**/*.ts',
    // Re-exports and type-only files: nothing to mutate.
    '!protocol/index.ts',
  ],
  ignorePatterns: ['dist', 'coverage', '.tap', 'bench-results', 'failures', 'reports', 'tmp', '*.cpuprofile'],
  coverageAnalysis: 'perTest',
  // Two cores shared by everyone: one test process at a time.
  concurrency: 1,
  // A busy machine: a slow run is not a timeout. Timeouts count as killed (docs/testing.md).
  timeoutMS: 20000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
