import { didYouMean } from './didYouMean.js';
import { MAIN_SERVER, type ExtraRoleSpec, type ExtraServerSpec, type ServerSpec, type Step } from './scenario.js';
import type { ScenarioProblem } from './scenarioProblem.js';
import type { Node, YamlSource } from './yamlNodes.js';

/** The key node at a path of map keys in the file (null when the key is not written in it, e.g. it came from an include). */
function keyNodeAt(src: YamlSource, keys: readonly string[]): Node | null {
  let node: Node | null = src.root;
  let keyNode: Node | null = null;
  for (const k of keys) {
    const e = node ? src.entries(node).find((x) => x.key === k) : undefined;
    if (!e) return null;
    keyNode = e.keyNode;
    node = src.deref(e.value);
  }
  return keyNode;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

export interface Targets {
  /** securityCenter.role (null: none). */
  mainRole: string | null;
  server: ServerSpec;
  servers: Record<string, ExtraServerSpec>;
  roles: Record<string, ExtraRoleSpec>;
  steps: readonly Step[];
}

/**
 * Two roles, two servers: every name a step, an expectation or a role gives for a server or a
 * role must be one the scenario defines, and no two servers may answer to the same name on the
 * same port (the role could not say which it reaches). Reported at the key, or at the step.
 */
export function checkTargets(src: YamlSource, shown: string, t: Targets): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const at = (keys: readonly string[], message: string): void => {
    const node = keyNodeAt(src, keys);
    const pos = node ? src.position(node) : { line: 1, column: 1 };
    problems.push({ file: shown, ...pos, message });
  };
  const serverNames = [...new Set([MAIN_SERVER, ...Object.keys(t.servers)])];
  const roleNames = [...new Set([...(t.mainRole !== null ? [t.mainRole] : []), ...Object.keys(t.roles)])];
  const unknown = (what: string, name: string, known: readonly string[]): string => {
    const hint = didYouMean(name, known);
    return `${what} "${name}" is not defined in this scenario (${what}s: ${known.join(', ') || 'none'})${hint ? ` (did you mean "${hint}"?)` : ''}`;
  };

  if (MAIN_SERVER in t.servers) at(['servers', MAIN_SERVER], `servers: "${MAIN_SERVER}" names the scenario's own server (the server: section): give this one another name`);
  // Who answers to which name and port: the main server also to the loopback names.
  const taken = new Map<string, string>();
  const claim = (server: string, names: readonly string[], port: number): void => {
    for (const n of names) {
      const key = `${n.toLowerCase()}:${port}`;
      const other = taken.get(key);
      if (other !== undefined && other !== server) {
        at(['servers', server], `servers.${server} answers to ${n}:${port} like the server "${other}": give it another host or port (a role could not tell them apart)`);
        return;
      }
      taken.set(key, server);
    }
  };
  claim(MAIN_SERVER, [t.server.host, ...t.server.names, ...LOOPBACK], t.server.port);
  for (const [name, s] of Object.entries(t.servers)) claim(name, [s.host, ...s.names], s.port);

  for (const [name, r] of Object.entries(t.roles)) {
    if (name === t.mainRole) at(['roles', name], `roles: "${name}" is already the scenario's role (securityCenter.role)`);
    if (!serverNames.includes(r.server)) at(['roles', name, 'server'], `roles.${name}.server: ${unknown('server', r.server, serverNames)}`);
  }

  for (const s of t.steps) {
    const where = { file: s.at.file, line: s.at.line, column: s.at.column };
    if (s.role !== undefined && s.kind !== 'apply' && !roleNames.includes(s.role)) problems.push({ ...where, message: `${s.kind}: ${unknown('role', s.role, roleNames)}` });
    if (s.server !== undefined && !serverNames.includes(s.server)) problems.push({ ...where, message: `${s.kind}: ${unknown('server', s.server, serverNames)}` });
    if (s.kind === 'expect') {
      const e = s.expect;
      // `roleExists: false` may name a role that was never created.
      if (e.role !== undefined && e.roleExists === undefined && !roleNames.includes(e.role)) problems.push({ ...where, message: `expect: ${unknown('role', e.role, roleNames)}` });
      if (e.server !== undefined && !serverNames.includes(e.server)) problems.push({ ...where, message: `expect: ${unknown('server', e.server, serverNames)}` });
    }
  }
  return problems;
}
