#!/usr/bin/env node
import { EXIT } from './exitCodes.js';
import { runCli } from './runCli.js';

/** `| head -1` closes our stdout: end quietly, as Unix tools killed by SIGPIPE do (README "Exit codes"). */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.PIPE_CLOSED);
    throw e;
  });
}

quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error('sipass-testbench: internal error (a bug: please report it with this trace):', e);
    process.exitCode = EXIT.INTERNAL;
  },
);
