/** One CLI subcommand. The CLI owns no logic: commands parse, call the library, print. */
export interface Command {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Full usage text for `sipass-testbench help <name>`. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 failed, 2 bad input. */
  run(argv: string[]): Promise<number>;
}

/** Bad command-line input: exit code 2 with this message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
