/**
 * sipass-testbench: a fake, scriptable SiPass proxy service and a model of
 * the Security Center SiPass plugin role. The programmatic API.
 */
export { SiPassServer, type SiPassServerOptions, type ServerStats, type ServerEvent } from './simulator/sipassServer.js';
export { Site } from './simulator/site.js';
export type { PopulationSpec } from './simulator/populationSpec.js';
export { SecurityCenter, type EntityBrowserNode } from './plugin/securitycenter/securityCenter.js';
export { PluginRole, type PluginRoleOptions, type RoleSnapshot, type RoleNotice } from './plugin/pluginRole.js';
export { createPluginRole } from './plugin/createPluginRole.js';
export type { PluginConfig, ConfigInput } from './plugin/config/pluginConfig.js';
export { ApplyRejectedError, type ConfigProblem } from './plugin/config/configProblem.js';
export { SC_TYPES, type ScType, type ScEntity, type AlarmEntity } from './plugin/securitycenter/scTypes.js';
export type { RoleState } from './plugin/machine/roleMachine.js';
export { RealClock, SimulatedClock, type Clock } from './core/clock.js';
export { TestbenchError, type ErrorInfo } from './core/testbenchError.js';
export * as protocol from './protocol/index.js';
export { startTestbench, type Testbench, type TestbenchOptions } from './testbench.js';
export { scenarioJsonSchema, fragmentJsonSchema } from './harness/scenario/jsonSchema.js';
export type { JsonSchema } from './harness/scenario/schema.js';

// The scenario harness as an API: find and load scenario files, run them, report
// (README, "Driving scenarios from your own test runner").
export { discoverScenarios } from './harness/runner/discoverScenarios.js';
export { loadScenario, type LoadOptions } from './harness/scenario/loadScenario.js';
export { ScenarioInvalidError, formatProblem, type ScenarioProblem } from './harness/scenario/scenarioProblem.js';
export type { Scenario, Step, StepAction, Expectation, Invariant } from './harness/scenario/scenario.js';
export { runScenario, type RunOptions } from './harness/runner/runScenario.js';
export { runSuite, loadAll, type SuiteOptions } from './harness/runner/runSuite.js';
export type { SuiteResult, ScenarioResult, StepResult, Mismatch, NotRun } from './harness/runner/results.js';
export type { Reporter } from './harness/reporters/reporter.js';
export { PrettyReporter, type PrettyOptions } from './harness/reporters/prettyReporter.js';
export { TapReporter } from './harness/reporters/tapReporter.js';
export { JsonReporter } from './harness/reporters/jsonReporter.js';
export { junitReport } from './harness/reporters/junitReport.js';
export { RULES_DOC, ruleLink } from './harness/reporters/ruleLinks.js';
