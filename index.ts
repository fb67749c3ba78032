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
