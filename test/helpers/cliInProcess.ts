/**
 * The CLI run in the test's own process: `cli/runCli.ts` with the arguments, in a working
 * directory, its stdout and stderr captured apart, its exit code returned; what `cliIn`
 * (test/helpers/cliRun.ts) gives from a spawned `node dist/cli/main.js`, minus the process.
 *
 * Why: a spawned CLI costs ~0.5 CPU-s (Node, the CLI's modules, coverage), in process a few
 * hundredths (issue 14 item 7, docs/testing.md). Spawn where the process is what is tested
 * (exit status as the shell sees it, signals, EPIPE, a TTY, `--version` from the installed
 * package); call this where the command's behaviour is (what it prints where, which code it
 * returns). cli/main.ts only maps runCli's result to process.exitCode, and test/cli/cli.test.ts
 * checks that mapping on a spawned CLI for each exit code.
 *
 * While a command runs, the working directory, the environment a user's shell would give
 * (no colour variables, no test hooks) and process.stdout/stderr's write are the command's;
 * they are restored after. Writes coming from tap itself (its TAP stream) pass through.
 * One call at a time: a test awaits each.
 */
import { Buffer } from 'node:buffer';
import { runCli } from '../../cli/runCli.js';
import { EXIT } from '../../cli/exitCodes.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The variables `userEnv` (cliRun.ts) removes: a user's shell does not have tap's. */
const NOT_A_USERS = ['NO_COLOR', 'FORCE_COLOR', 'SIPASS_TESTBENCH_HOLD', 'SIPASS_TESTBENCH_INJECT_BUG'];

/**
 * A write made by a dependency itself (tap's TAP stream, piped to stdout by minipass), not by
 * the command: the frame that called write() is in node_modules. A command's console.log is
 * called from node:internal/console, its stream.write from the project's files, even when a
 * dependency (xstate) called the command's code that logs.
 */
function fromDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  // frames[0]: this function; [1]: the replaced write; [2]: its caller.
  return /[\\/]node_modules[\\/]/.test(frames[2] ?? '');
}

function capture(stream: NodeJS.WriteStream, into: string[]): () => void {
  // Own property (what console and tap call) over the prototype's: restoring deletes ours.
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const original = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  Object.defineProperty(stream, 'write', {
    configurable: true,
    writable: true,
    value: (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      if (fromDependency()) return original(chunk, encoding, cb);
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') (done as () => void)();
      return true;
    },
  });
  return () => {
    if (own) Object.defineProperty(stream, 'write', own);
    else delete (stream as { write?: unknown }).write;
  };
}

let running = false;

export async function cliInProcess(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  if (running) throw new Error('cliInProcess: one call at a time (await the previous one)');
  running = true;
  const out: string[] = [];
  const err: string[] = [];
  const prevCwd = process.cwd();
  const prevEnv = new Map([...NOT_A_USERS, ...Object.keys(extraEnv)].map((k) => [k, process.env[k]]));
  for (const k of NOT_A_USERS) delete process.env[k];
  Object.assign(process.env, extraEnv);
  process.chdir(cwd);
  const restoreOut = capture(process.stdout, out);
  const restoreErr = capture(process.stderr, err);
  let status: number;
  try {
    status = await runCli(args);
  } catch (e) {
    // What cli/main.ts does with an error runCli did not turn into an exit code.
    console.error('sipass-testbench: internal error (a bug: please report it with this trace):', e);
    status = EXIT.INTERNAL;
  } finally {
    restoreOut();
    restoreErr();
    process.chdir(prevCwd);
    for (const [k, v] of prevEnv) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    running = false;
  }
  return { status, stdout: out.join(''), stderr: err.join('') };
}
