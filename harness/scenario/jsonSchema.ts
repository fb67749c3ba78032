import { topLevel } from './scenarioSchema.js';
import type { JsonSchema } from './schema.js';

/**
 * The JSON Schema (draft-07) of the scenario format, assembled from the
 * readers loadScenario runs (schema.ts, scenarioSchema.ts): a key added to a
 * reader appears here with no second copy to keep. Editors use it for
 * completion and inline errors (README, "Editor support").
 *
 * It states the shape of a file. What needs more than one file or more than
 * one place of it (an include that exists, an alarm the scenario defines, a
 * fault's own options) only `validate` and `run` check.
 */
const DRAFT = 'http://json-schema.org/draft-07/schema#';

const clone = <T>(x: T): T => structuredClone(x);

/** A scenario file: steps, and a name unless an included fragment brings one. */
export function scenarioJsonSchema(): JsonSchema {
  return {
    $schema: DRAFT,
    title: 'sipass-testbench scenario',
    description: 'A scenario: a site, a Security Center, a Properties tab and the steps to run against them (README, "Scenario format").',
    ...clone(topLevel.schema),
    required: ['steps'],
    anyOf: [{ required: ['name'] }, { required: ['include'] }],
  };
}

/** A fragment brought in by `include:`: the same keys as a scenario, never steps. */
export function fragmentJsonSchema(): JsonSchema {
  const top = clone(topLevel.schema);
  const properties = { ...(top.properties as Record<string, JsonSchema>) };
  delete properties.steps;
  return {
    $schema: DRAFT,
    title: 'sipass-testbench scenario fragment',
    description: 'A fragment a scenario includes: a site, a Security Center or a Properties tab; never steps.',
    ...top,
    properties,
  };
}
