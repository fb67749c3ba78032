import { stringify } from 'yaml';
import type { Expectation, Scenario, Step } from './scenario.js';

type Plain = Record<string, unknown>;

/** Drops keys whose value is undefined (YAML has no undefined; the reader would see null). */
function defined(o: object): Plain {
  const out: Plain = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function expectation(e: Expectation): Plain {
  return defined(e);
}

/** One step as the scenario format writes it (the inverse of scenarioSchema's readStep). */
export function stepToYaml(step: Step): Plain {
  const { at: _at, title, refused, problems, role, server, ...action } = step;
  // `refused:`, `problems:`, `role:` and `server:` are siblings of the action key (apply's role is inside it).
  const named = (body: Plain): Plain => ({
    ...(title !== undefined ? { name: title } : {}),
    ...body,
    ...(refused !== undefined ? { refused } : {}),
    ...(problems !== undefined ? { problems } : {}),
    ...(role !== undefined && action.kind !== 'apply' ? { role } : {}),
    ...(server !== undefined ? { server } : {}),
  });
  switch (action.kind) {
    case 'apply': {
      const body = { ...defined(action.input), ...(role !== undefined ? { role } : {}) };
      return named(action.rejects ? { apply: body, rejects: action.rejects } : { apply: body });
    }
    case 'manualSync':
    case 'stopServer':
    case 'startServer':
    case 'blockPort':
    case 'unblockPort':
    case 'resetConnections':
      return named({ [action.kind]: true });
    case 'restartServer':
      return named({ restartServer: action.population ? { population: action.population } : true });
    case 'editAlarm':
    case 'acknowledge':
    case 'raiseAlarm':
    case 'sipassAcknowledge':
    case 'clearAlarm':
    case 'fireEvent':
    case 'addEntity':
    case 'updateEntity':
    case 'deleteEntity':
    case 'createGroup':
    case 'createAlarm': {
      const { kind, ...rest } = action;
      return named({ [kind]: defined(rest) });
    }
    case 'createUser':
    case 'createPartition':
      return named({ [action.kind]: action.name });
    case 'serverPort':
      return named({ serverPort: action.port });
    case 'command':
      return named({ command: defined(action.order) });
    case 'eventToAction':
      return named({ eventToAction: defined({ event: action.event, ...action.order }) });
    case 'deleteUser':
    case 'deleteGroup':
    case 'deletePartition':
      return named({ [action.kind]: action.name });
    case 'serverSdkVersion':
    case 'securityCenterVersion':
      return named({ [action.kind]: action.version });
    case 'wait':
      return named({ wait: action.ms });
    case 'expect':
      return named({ expect: expectation(action.expect) });
    default: {
      const { kind, ...rest } = action as { kind: string } & Plain;
      // Network faults (docs/reliability.md): `fault: { <name>: {options}, toxicity, seed, times }`.
      if (kind === 'fault') {
        const f = rest.fault as { name: string; options: Plain; toxicity?: number; seed?: number; times?: number };
        return named({ fault: defined({ [f.name]: f.options, toxicity: f.toxicity, seed: f.seed, times: f.times }) });
      }
      if (kind === 'removeFault') return named({ removeFault: rest.name });
      // A step kind added later: written as `kind: {its fields}` (or `kind: true` without fields).
      return named({ [kind]: Object.keys(rest).length > 0 ? defined(rest) : true });
    }
  }
}

/** The scenario as a plain document (top-level keys in the order docs/scenarios.md lists them). */
export function scenarioToDocument(s: Scenario): Plain {
  return defined({
    name: s.name,
    description: s.description !== '' ? s.description : undefined,
    rules: s.rules.length > 0 ? s.rules : undefined,
    tags: s.tags.length > 0 ? s.tags : undefined,
    seed: s.seed,
    population: s.population,
    server: s.server,
    securityCenter: s.securityCenter,
    plugin: s.plugin ?? undefined,
    servers: s.servers && Object.keys(s.servers).length > 0 ? s.servers : undefined,
    roles: s.roles && Object.keys(s.roles).length > 0 ? Object.fromEntries(Object.entries(s.roles).map(([k, r]) => [k, defined({ server: r.server, plugin: r.plugin ?? undefined })])) : undefined,
    invariants: s.invariants.length > 0 ? s.invariants : undefined,
    steps: s.steps.map(stepToYaml),
  });
}

/**
 * Scenario -> YAML text that loadScenario reads back to the same scenario
 * (used to turn a property test's counterexample into a replayable file).
 * `header` lines become comments at the top.
 */
export function writeScenario(s: Scenario, header: readonly string[] = []): string {
  const body = stringify(scenarioToDocument(s), { lineWidth: 0, aliasDuplicateObjects: false });
  const comments = header.flatMap((h) => h.split('\n')).map((l) => `# ${l}`.trimEnd());
  return comments.length > 0 ? `${comments.join('\n')}\n${body}` : body;
}
