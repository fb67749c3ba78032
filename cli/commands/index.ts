import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { connectCommand } from './connect.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { tuiCommand } from './tui.js';
import { validateCommand } from './validate.js';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: Command[] = [runCommand, validateCommand, serveCommand, connectCommand, benchCommand, tuiCommand];
