/**
 * Worker threads started by the tests (the fuzzers' isolation, test/fuzz/fuzz.test.ts) start
 * without two of tap's preloads they never use.
 *
 * Why: a worker re-runs its process's --import preloads. In a tap test process those are
 * tap's TypeScript plugin, its module mocking, its process tracking (which records the
 * worker's coverage) and this project's TypeScript hooks: ~2.1 CPU-s per worker, against
 * ~0.35 without tap's TypeScript plugin and mocking (this project's hooks load the
 * TypeScript, and no worker mocks a module). The fuzz test starts five workers
 * (issue 14 item 7, docs/testing.md).
 *
 * How: node:worker_threads' Worker is replaced by a subclass that drops those two preloads
 * from the worker's execArgv (its own, or the process's it would inherit), and the ESM
 * bindings of node:worker_threads are synced, so `import { Worker }` gets it too. Outside
 * tap (no such preload in process.execArgv) this does nothing.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import process from 'node:process';

const UNUSED_IN_WORKERS = /@tapjs[\\/](typescript|mock)[\\/]/;

if (process.execArgv.some((a) => UNUSED_IN_WORKERS.test(a))) {
  const workerThreads = createRequire(import.meta.url)('node:worker_threads');
  const TapWorker = workerThreads.Worker;
  class Worker extends TapWorker {
    constructor(filename, options = {}) {
      const execArgv = (options.execArgv ?? process.execArgv).filter((a) => !UNUSED_IN_WORKERS.test(a));
      super(filename, { ...options, execArgv });
    }
  }
  workerThreads.Worker = Worker;
  syncBuiltinESMExports();
}
