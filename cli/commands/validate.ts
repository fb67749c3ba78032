import { formatProblem } from '../../harness/scenario/scenarioProblem.js';
import { discoverScenarios } from '../../harness/runner/discoverScenarios.js';
import { loadAll } from '../../harness/runner/runSuite.js';
import { UsageError, type Command } from '../command.js';
import { parseOptions } from '../parseOptions.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check scenario files and report every problem as file:line:column',
  usage: `Usage: sipass-testbench validate FILES_OR_FOLDERS...

Checks scenario files without running them. Every problem is printed as
file:line:column: message. A site file (a population: and no steps:) is
valid as a site (serve --scenario and connect --scenario take it). Exit 0 when
all are valid, 2 otherwise.`,
  async run(argv) {
    const { positionals } = parseOptions(argv, {}, true);
    if (positionals.length === 0) throw new UsageError('name at least one scenario file or folder');
    const files = await discoverScenarios(positionals);
    // A site file (population:, no steps:) is valid as a site: serve and connect take it.
    const { scenarios, problems } = await loadAll(files, { allowSite: true });
    for (const p of problems) console.error(formatProblem(p));
    const bad = new Set(problems.map((p) => p.file));
    console.log(`${scenarios.length} valid, ${files.length - scenarios.length} invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}${bad.size ? ` in ${[...bad].join(', ')}` : ''})`);
    return problems.length > 0 ? 2 : 0;
  },
};
