/**
 * Where the rule ids every report prints (R1..R15) are defined: docs/rules.md,
 * shipped in the package (package.json "files"), one anchor per rule (#r1..#r15).
 */
export const RULES_DOC = 'docs/rules.md';

/** `R7` -> `docs/rules.md#r7`. */
export const ruleLink = (id: string): string => `${RULES_DOC}#${id.toLowerCase()}`;

/** The rules a suite's scenarios cite, each once, in rule order (R2 before R10). */
export function rulesCited(scenarios: ReadonlyArray<{ rules: readonly string[] }>): string[] {
  const ids = new Set(scenarios.flatMap((s) => s.rules));
  return [...ids].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b));
}

/** One line naming the rules cited and where they are defined; empty when none is cited. */
export function rulesLine(scenarios: ReadonlyArray<{ rules: readonly string[] }>): string {
  const ids = rulesCited(scenarios);
  return ids.length === 0 ? '' : `Rules ${ids.join(', ')} are defined in ${RULES_DOC} (e.g. ${ruleLink(ids[0] ?? '')})`;
}
