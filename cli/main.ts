#!/usr/bin/env node
import { isTestbenchError } from '../core/testbenchError.js';
import { UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'sipass-testbench: a fake SiPass server and a model of the Security Center SiPass plugin',
    '',
    'Usage: sipass-testbench <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  Show the options of a command (sipass-testbench help <command>)`,
    '',
    'Run `sipass-testbench <command> --help` for its options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log('sipass-testbench 0.1.0');
    return 0;
  }
  if (name === 'help') {
    const c = COMMANDS.find((x) => x.name === rest[0]);
    console.log(c ? c.usage : help());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`sipass-testbench: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sipass-testbench ${name}: ${e.message}\n\n${command.usage}`);
      return 2;
    }
    if (isTestbenchError(e)) {
      console.error(`sipass-testbench ${name}: ${e.code}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error('sipass-testbench: internal error:', e);
    process.exitCode = 70;
  },
);
