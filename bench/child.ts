import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestbenchError } from '../core/testbenchError.js';
import type { ChildMessage, ParentCommand } from './ipc.js';

export type ChildName = 'serverProcess' | 'roleProcess' | 'limitProcess' | 'replayProcess' | 'diagnosticsServerProcess';

/**
 * The compiled script of a child: next to this module when it runs from
 * dist/, else dist/bench/ of the package (running from the TypeScript source).
 */
export function childScript(name: ChildName): string {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  const local = path.join(dir, `${name}.js`);
  if (here.endsWith('.js') && existsSync(local)) return local;
  const built = path.join(dir, '..', 'dist', 'bench', `${name}.js`);
  if (!existsSync(built)) throw new TestbenchError('BENCH_NOT_BUILT', `the bench's child processes are not built (${built} is missing): run \`npm run build\` first`);
  return built;
}

type Kind = ChildMessage['kind'];
type Of<K extends Kind> = Extract<ChildMessage, { kind: K }>;

/** A forked bench process spoken to over IPC: send a command, await an answer of one kind. */
export class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private waiter: (() => void) | undefined;
  private exitCode: number | null | undefined;
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: ChildName,
    execArgv: string[] = [],
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    // Not the parent's execArgv or NODE_OPTIONS (a test runner's loader, coverage): plain node on built JS.
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.NODE_V8_COVERAGE;
    this.proc = fork(childScript(name), [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.proc.on('message', (m: ChildMessage) => {
      if (m.kind === 'progress') this.onProgress?.(m.done, m.total);
      else this.push(m);
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then every IPC message the child sent has arrived.
      this.proc.on('close', (code) => {
        this.exitCode = code;
        this.waiter?.();
        resolve(code);
      });
    });
  }

  private push(m: ChildMessage): void {
    this.inbox.push(m);
    this.waiter?.();
  }

  send(c: ParentCommand): void {
    this.proc.send(c);
  }

  /** The next message of `kind`; a `failed` report, an exit or the timeout reject. */
  async next<K extends Kind>(kind: K, timeoutMs: number): Promise<Of<K>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.kind === kind || m.kind === 'failed');
      if (i >= 0) {
        const [m] = this.inbox.splice(i, 1);
        if (m?.kind === 'failed') throw new TestbenchError('BENCH_CHILD_FAILED', `bench ${this.name}: ${m.message}`);
        return m as Of<K>;
      }
      if (this.exitCode !== undefined) throw new TestbenchError('BENCH_CHILD_EXITED', `bench ${this.name} exited (code ${this.exitCode}) before sending "${kind}"`);
      const left = deadline - Date.now();
      if (left <= 0) throw new TestbenchError('BENCH_CHILD_TIMEOUT', `bench ${this.name} sent no "${kind}" within ${timeoutMs}ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Sends a command and awaits its answer. */
  async ask<K extends Kind>(c: ParentCommand, kind: K, timeoutMs: number): Promise<Of<K>> {
    this.send(c);
    return this.next(kind, timeoutMs);
  }

  /** Asks the child to stop and waits for it to exit by itself; killed only if it does not. */
  async stop(timeoutMs = 10_000): Promise<Of<'stopped'> | undefined> {
    if (this.exitCode !== undefined) return undefined;
    let answer: Of<'stopped'> | undefined;
    try {
      answer = await this.ask({ cmd: 'stop' }, 'stopped', timeoutMs);
    } catch {
      answer = undefined;
    }
    const exited = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
    if (!exited) this.proc.kill();
    return answer;
  }

  kill(): void {
    if (this.exitCode === undefined) this.proc.kill();
  }
}
