import path from 'node:path';
import { checkSiteReferences } from './checkSiteReferences.js';
import { checkTargets } from './checkTargets.js';
import { MAIN_SERVER, type ExtraRoleSpec, type ExtraServerSpec, type Scenario, type ServerSpec, type Step } from './scenario.js';
import { ScenarioInvalidError, type ScenarioProblem } from './scenarioProblem.js';
import { readStep, topLevel, type TopLevel } from './scenarioSchema.js';
import { DEFAULT_LOAD_LIMITS, type LoadLimits } from './loadLimits.js';
import { readScenarioFile } from './readScenarioFile.js';
import { INVALID } from './schema.js';
import { insideRoot, scenarioRootFor, type ScenarioRoot } from './scenarioRoot.js';
import { isSeq, YamlSource, type Node } from './yamlNodes.js';

const DEFAULT_ROLE = 'SiPass plugin';

/** How loadScenario reads (docs/reliability.md, "Scenario loader limits"). */
export interface LoadOptions {
  /**
   * Accept a site file: a `population:` and no `steps:` (serve, connect and validate take it;
   * serving a site needs no steps). Its steps are empty.
   */
  allowSite?: boolean;
  /** The folder includes must stay inside (scenarioRoot.ts); default: the current directory. */
  root?: string;
  limits?: Partial<LoadLimits>;
}

interface ReadContext {
  problems: ScenarioProblem[];
  seen: Set<string>;
  limits: LoadLimits;
  root: ScenarioRoot;
  included: number;
}

async function readTop(
  file: string,
  ctx: ReadContext,
  isFragment: boolean,
  includedAt?: ScenarioProblem,
): Promise<{ top: TopLevel; src: YamlSource; partial: boolean } | undefined> {
  const { problems, seen, limits } = ctx;
  // Includes are always confined; the file the user named only when it is inside the root (a link there must not leave it).
  const read = await readScenarioFile(file, limits.maxFileBytes, includedAt || insideRoot(ctx.root, file) ? ctx.root : undefined);
  if ('problem' in read) {
    // A bad fragment is reported where the include names it.
    problems.push(includedAt ? { ...includedAt, message: `include ${includedAt.message}: ${read.problem}` } : { file, line: 1, column: 1, message: read.problem });
    return undefined;
  }
  const src = new YamlSource(file, read.text, limits);
  if (src.problems.length > 0) {
    problems.push(...src.problems);
    return undefined;
  }
  const checked = topLevel(src, src.root, isFragment ? 'fragment' : 'scenario');
  problems.push(...src.problems);
  if (checked === INVALID && isFragment) return undefined;
  // A bad top-level key still lets the steps be checked, so every problem is reported at once.
  const partial = checked === INVALID;
  const top: TopLevel = checked === INVALID ? {} : checked;
  // Fragments (include:) bring a site or a Security Center, never steps.
  if (isFragment) {
    const stepsEntry = src.root ? src.entries(src.root).find((e) => e.key === 'steps') : undefined;
    if (stepsEntry) problems.push({ file, ...src.position(stepsEntry.keyNode), message: 'an included fragment cannot have steps' });
  }
  const merged: TopLevel = {};
  const includeEntry = src.root ? src.entries(src.root).find((e) => e.key === 'include') : undefined;
  const includeValue = src.deref(includeEntry?.value);
  const includeNodes: Array<Node | null> = includeValue && isSeq(includeValue) ? (includeValue.items as Node[]) : [includeValue];
  for (const [i, inc] of (top.include ?? []).entries()) {
    const target = path.resolve(path.dirname(file), inc);
    const at = { file, ...src.position(includeNodes[i] ?? includeEntry?.keyNode), message: JSON.stringify(inc) };
    // Checked on the path as written before anything touches it: /etc/passwd, /dev/stdin, ../../x.
    if (!insideRoot(ctx.root, target)) {
      problems.push({ ...at, message: `include ${at.message} is outside the scenario root ${ctx.root.given} (includes stay inside it: run from the suite's folder, or name that folder with --root DIR)` });
      continue;
    }
    if (seen.has(target)) {
      problems.push({ ...at, message: `include cycle through ${inc}` });
      continue;
    }
    if (++ctx.included > limits.maxIncludes) {
      problems.push({ ...at, message: `include ${at.message}: more than ${limits.maxIncludes} files included by one scenario (fragments' includes counted)` });
      break;
    }
    seen.add(target);
    const frag = await readTop(target, ctx, true, at);
    if (frag) mergeInto(merged, frag.top);
  }
  mergeInto(merged, top);
  return { top: merged, src, partial };
}

/** Later sections win key by key (a scenario overrides what it includes). */
function mergeInto(into: TopLevel, from: TopLevel): void {
  for (const [k, v] of Object.entries(from) as Array<[keyof TopLevel, unknown]>) {
    if (v && typeof v === 'object' && !Array.isArray(v) && into[k] && typeof into[k] === 'object') {
      (into as Record<string, unknown>)[k] = { ...(into[k] as object), ...(v) };
    } else {
      (into as Record<string, unknown>)[k] = v;
    }
  }
}

/**
 * Reads and validates one scenario file (and what it includes). Every
 * problem is reported as file:line:column; any problem: ScenarioInvalidError.
 */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Scenario> {
  const problems: ScenarioProblem[] = [];
  const abs = path.resolve(file);
  const shown = path.relative(process.cwd(), abs) || file;
  const limits: LoadLimits = { ...DEFAULT_LOAD_LIMITS, ...options.limits };
  const root = await scenarioRootFor(abs, options.root);
  const read = await readTop(abs, { problems, seen: new Set([abs]), limits, root, included: 0 }, false);
  if (!read) throw new ScenarioInvalidError(named(problems, abs, shown));
  const { top, src, partial } = read;
  const steps: Step[] = [];
  const stepsEntry = src.root ? src.entries(src.root).find((e) => e.key === 'steps') : undefined;
  const isSite = !stepsEntry && options.allowSite === true && top.population !== undefined;
  if (!stepsEntry) {
    if (!isSite) problems.push({ file: shown, line: 1, column: 1, message: `a scenario needs "steps:" (a list of actions and expectations)${top.population !== undefined ? '; a site file (population:, no steps:) can be served, not run' : ''}` });
  } else {
    const n = src.deref(stepsEntry.value);
    if (!n || !isSeq(n)) src.problem(stepsEntry.value ?? stepsEntry.keyNode, 'steps must be a list');
    else if (n.items.length === 0) src.problem(stepsEntry.value ?? stepsEntry.keyNode, 'steps is empty: a scenario needs at least one step');
    else if (n.items.length > limits.maxSteps) {
      // Counted before any is read: one problem, at the first step over the limit.
      src.problem((n.items[limits.maxSteps] as Node | undefined) ?? n, `steps: ${n.items.length} steps, over the limit of ${limits.maxSteps} (raise it with --max-steps N, or split the scenario)`);
    } else (n.items as Node[]).forEach((x, i) => {
      const s = readStep(src, x, i);
      if (s !== INVALID) steps.push(s);
    });
  }
  if (!top.name && !partial && !isSite) problems.push({ file: shown, line: 1, column: 1, message: 'a scenario needs a "name"' });
  for (const p of src.problems) if (!problems.includes(p)) problems.push(p);
  // Positions name the file as the user gave it.
  for (const s of steps) if (s.at.file === abs) s.at.file = shown;

  const population = top.population ?? {};
  const sc = top.securityCenter ?? {};
  const server = serverSpec(top.server ?? {});
  const servers: Record<string, ExtraServerSpec> = Object.fromEntries(Object.entries(top.servers ?? {}).map(([k, s]) => [k, { ...serverSpec(s), population: s.population }]));
  const mainRole = sc.role === undefined ? DEFAULT_ROLE : sc.role;
  const roles: Record<string, ExtraRoleSpec> = Object.fromEntries(
    Object.entries(top.roles ?? {}).map(([k, r]) => [k, { server: r.server ?? MAIN_SERVER, plugin: (r.plugin as ExtraRoleSpec['plugin'] | undefined) ?? null }]),
  );
  // A step naming an alarm or event type no site of the scenario defines is a file error, found before any run.
  // A loop, not push(...): one problem per step could be more than a spread takes (--max-steps raised).
  if (!partial) {
    for (const p of checkSiteReferences(population, (sc.alarms ?? []).map((a) => a.name), steps, Object.values(servers).map((s) => s.population))) problems.push(p);
    // Two roles, two servers: the names steps and roles give must exist.
    for (const p of checkTargets(src, shown, { mainRole, server, servers, roles, steps })) problems.push(p);
  }
  if (problems.length > 0) throw new ScenarioInvalidError(named(problems, abs, shown));

  return {
    file: shown,
    name: top.name ?? shown,
    description: top.description ?? '',
    rules: top.rules ?? [],
    tags: top.tags ?? [],
    seed: top.seed ?? (typeof population.seed === 'number' ? population.seed : 1),
    population,
    server,
    securityCenter: {
      users: sc.users ?? [],
      groups: sc.groups ?? {},
      partitions: sc.partitions ?? [],
      role: mainRole,
      alarms: sc.alarms ?? [],
      ...(sc.privileges !== undefined ? { privileges: sc.privileges } : {}),
      ...(sc.version !== undefined ? { version: sc.version } : {}),
    },
    plugin: top.plugin ?? null,
    ...(Object.keys(servers).length > 0 ? { servers } : {}),
    ...(Object.keys(roles).length > 0 ? { roles } : {}),
    invariants: top.invariants ?? [],
    ...(top.limits
      ? { limits: { ...(top.limits.simulated !== undefined ? { simulatedMs: top.limits.simulated } : {}), ...(top.limits.wall !== undefined ? { wallMs: top.limits.wall } : {}) } }
      : {}),
    steps,
  };
}

/** A server's settings with their defaults (R15: an absent version or port means protocol/version.ts's, applied by the server). */
function serverSpec(s: Partial<ServerSpec>): ServerSpec {
  return {
    host: s.host ?? '127.0.0.1',
    names: s.names ?? [],
    port: s.port ?? 5645,
    syncRate: s.syncRate ?? 0,
    batchSize: s.batchSize ?? 500,
    ...(s.sdkVersion !== undefined ? { sdkVersion: s.sdkVersion } : {}),
    ...(s.diagnosticPort !== undefined ? { diagnosticPort: s.diagnosticPort } : {}),
    ...(s.diagnosticWebPort !== undefined ? { diagnosticWebPort: s.diagnosticWebPort } : {}),
  };
}

function named(problems: ScenarioProblem[], abs: string, shown: string): ScenarioProblem[] {
  const seen = new Set<string>();
  const out: ScenarioProblem[] = [];
  for (const p of problems) {
    const q = p.file === abs ? { ...p, file: shown } : p;
    const key = `${q.file}:${q.line}:${q.column}:${q.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(q);
    }
  }
  return out.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}
