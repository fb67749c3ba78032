import { generatedIndex, generateEntity } from '../../simulator/generateEntity.js';
import type { PopulationSpec } from '../../simulator/populationSpec.js';
import type { SiPassType } from '../../protocol/sipassTypes.js';
import type { Step } from './scenario.js';
import type { ScenarioProblem } from './scenarioProblem.js';

/** Above this many generated entities, names are not listed (ids still are): no false alarm, no big loop. */
const NAMED_UP_TO = 10_000;
/**
 * Names generated over every site of a scenario: 10,000 `restartServer` steps (aliases of one)
 * each with 10,000 alarm classes would otherwise generate 10^8 names (issue 11, loader budgets).
 */
const NAMED_IN_ALL = 100_000;

/** Ids and names a step may use for one SiPass type, over every site the scenario's server has. */
class Known {
  private readonly refs = new Set<string>();
  private generated = 0;
  private namesUnchecked = false;
  private named = 0;

  constructor(private readonly type: SiPassType) {}

  addPopulation(p: PopulationSpec | undefined): void {
    const v = p?.[this.type];
    if (Array.isArray(v)) for (const r of v) this.add(r.id, r.name);
    else if (typeof v === 'number' && v > 0) {
      this.generated = Math.max(this.generated, v);
      if (v > NAMED_UP_TO || this.named + v > NAMED_IN_ALL) this.namesUnchecked = true;
      else {
        this.named += v;
        for (let i = 0; i < v; i++) this.refs.add(generateEntity(this.type, i, { seed: p?.seed ?? 1, cardholders: 0, workgroups: 0 }).name);
      }
    }
  }

  add(...refs: string[]): void {
    for (const r of refs) this.refs.add(r);
  }

  has(ref: string): boolean {
    const i = generatedIndex(this.type, ref);
    return this.refs.has(ref) || (i >= 0 && i < this.generated) || (this.namesUnchecked && i < 0);
  }
}

/**
 * The load-time half of what a run would reject: a step naming an alarm
 * class, an alarm or an event type that no site of the scenario defines
 * (otherwise SITE_NO_SUCH_ENTITY at run time, after the suite has started).
 * Shared by `run` and `validate` through loadScenario, so validate says it first.
 */
export function checkSiteReferences(population: PopulationSpec, scAlarms: string[], steps: Step[], otherSites: readonly PopulationSpec[] = []): ScenarioProblem[] {
  const alarmClasses = new Known('alarmClasses');
  const eventTypes = new Known('eventTypes');
  // Every site of the scenario (`servers:` too): a name any of them defines is known.
  const populations = [population, ...otherSites, ...steps.map((s) => (s.kind === 'restartServer' ? s.population : undefined))];
  for (const p of populations) {
    alarmClasses.addPopulation(p);
    eventTypes.addPopulation(p);
  }
  // Security Center alarms: operators' ones and those the plugin maps from alarm classes (R10).
  const alarms = new Set<string>(scAlarms);
  for (const s of steps) {
    if (s.kind === 'addEntity' && s.type === 'alarmClasses') alarmClasses.add(s.entity.id, s.entity.name);
    if (s.kind === 'addEntity' && s.type === 'eventTypes') eventTypes.add(s.entity.id, s.entity.name);
    if (s.kind === 'createAlarm') alarms.add(s.name);
  }
  // An SC id the plugin gives its entities (SC-n; SC2-n for a second role) is taken as written.
  const alarmKnown = (ref: string): boolean => alarms.has(ref) || alarmClasses.has(ref) || /^SC\d*-\d+$/.test(ref);
  const problems: ScenarioProblem[] = [];
  for (const s of steps) {
    if (s.kind === 'raiseAlarm' && !alarmClasses.has(s.alarmClass)) {
      problems.push({ ...s.at, message: `raiseAlarm: alarm class "${s.alarmClass}" is not in the SiPass site (population.alarmClasses, addEntity or restartServer.population)` });
    }
    if (s.kind === 'fireEvent' && !eventTypes.has(s.eventType)) {
      problems.push({ ...s.at, message: `fireEvent: event type "${s.eventType}" is not in the SiPass site (population.eventTypes, addEntity or restartServer.population)` });
    }
    const alarm = s.kind === 'editAlarm' ? s.alarm : s.kind === 'expect' ? (s.expect.alarm?.alarm ?? s.expect.monitor?.alarm) : undefined;
    if (alarm !== undefined && !alarmKnown(alarm)) {
      problems.push({ ...s.at, message: `alarm "${alarm}" is never defined in this scenario (population.alarmClasses, securityCenter.alarms, addEntity or createAlarm)` });
    }
  }
  return problems;
}
