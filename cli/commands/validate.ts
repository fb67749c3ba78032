import { formatProblems, PROBLEM_FORMATS, type ProblemFormat } from '../../harness/scenario/formatProblems.js';
import { discoverScenarios } from '../../harness/runner/discoverScenarios.js';
import { loadAll } from '../../harness/runner/runSuite.js';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { optString, parseOptions } from '../parseOptions.js';
import { SCENARIO_LOAD_OPTIONS, scenarioLoadOptions, scenarioLoadUsage } from '../scenarioLoadOptions.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check scenario files and report every problem as file:line:column',
  usage: `Usage: sipass-testbench validate FILES_FOLDERS_OR_GLOBS... [--format text|json|github]

Checks scenario files without running them: everything \`run\` would reject
for a file reason (YAML, keys, types, durations, includes, an alarm class or
event type no site of the scenario defines, an empty steps list), every
problem in every file at once, on stdout. A site file (a population: and no
steps:) is valid as a site (serve --scenario and connect --scenario take it).

Options:
  --format text     file:line:column: message, then a summary (default)
  --format json     one JSON document: files, valid, invalid, problems[]
  --format github   GitHub Actions annotations (::error file=..,line=..,col=..::message)
${scenarioLoadUsage(20)}

Exit codes: 0 all valid, 1 no scenario file found, 2 some file invalid.`,
  async run(argv) {
    const { values, positionals } = parseOptions(argv, { format: { type: 'string' }, ...SCENARIO_LOAD_OPTIONS }, true);
    const loadOptions = await scenarioLoadOptions(values);
    const format = optString(values.format) ?? 'text';
    if (!(PROBLEM_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: use ${PROBLEM_FORMATS.join(', ')}`);
    if (positionals.length === 0) throw new UsageError('name at least one scenario file, folder or glob');
    const files = await discoverScenarios(positionals);
    if (files.length === 0) {
      console.error(`sipass-testbench validate: no scenario files in ${positionals.join(', ')}`);
      return EXIT.FAILED;
    }
    // A site file (population:, no steps:) is valid as a site: serve and connect take it.
    const { scenarios, problems } = await loadAll(files, { allowSite: true, ...loadOptions });
    process.stdout.write(formatProblems(format as ProblemFormat, { files: files.length, valid: scenarios.length, invalid: files.length - scenarios.length, problems }));
    return problems.length > 0 ? EXIT.USAGE : EXIT.OK;
  },
};
