import type { Command } from '../command.js';
import { benchCommand } from './bench.js';
import { connectCommand } from './connect.js';
import { serveCommand } from './serve.js';

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: Command[] = [serveCommand, connectCommand, benchCommand];
