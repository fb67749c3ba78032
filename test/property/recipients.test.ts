// Property 2 (R4): alarm recipient defaults, model-based (fc.commands) over scenarios run by the real runner.
import t from 'tap';
import { recipientsProperty } from './recipientsModel.js';
import { assertScenarioProperty } from './scenarioFailure.js';

t.test('R4: recipient defaults at creation, kept across Applies and syncs; edits survive; occurrences notify the flattened users once', async (t) => {
  await assertScenarioProperty(t, 'r4-recipients', recipientsProperty(), { numRuns: 25 });
  t.pass('held');
});
