/**
 * The CLI's dispatch: a command's name and arguments in, an exit code out (README "Exit codes").
 * cli/main.ts runs it as the process; the tests run it in process too
 * (test/helpers/cliInProcess.ts), where starting a process is not what they test.
 */
import { isTestbenchError } from '../core/testbenchError.js';
import { UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT } from './exitCodes.js';
import { packageVersion } from './packageRoot.js';

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
    'Options: --help, -h (this text), --version, -V',
    'Run `sipass-testbench <command> --help` for its options.',
  ].join('\n');
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // A usage error (like git, npm): the help goes to stderr so a script's stdout stays empty.
    console.error(help());
    return EXIT.USAGE;
  }
  if (name === '--help' || name === '-h') {
    console.log(help());
    return EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    console.log(packageVersion());
    return EXIT.OK;
  }
  if (name === 'help') {
    if (rest[0] === undefined) {
      console.log(help());
      return EXIT.OK;
    }
    const entry = COMMANDS.find((x) => x.name === rest[0]);
    if (!entry) {
      console.error(`sipass-testbench help: unknown command "${rest[0]}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
      return EXIT.USAGE;
    }
    console.log((await entry.load()).usage);
    return EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    console.error(`sipass-testbench: unknown command "${name}"\n\n${help()}`);
    return EXIT.USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return EXIT.OK;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`sipass-testbench ${name}: ${e.message}\n\n${command.usage}`);
      return EXIT.USAGE;
    }
    if (isTestbenchError(e)) {
      console.error(`sipass-testbench ${name}: ${e.code}: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
}
