/** One rule of docs/rules.md as the HTML report embeds it. */
export interface RuleText {
  id: string;
  title: string;
  /** The rule's Markdown body, as written. */
  text: string;
}

/** The rules the bench models (docs/rules.md): the HTML report's matrix has a column for each. */
export const RULE_IDS: readonly string[] = Array.from({ length: 15 }, (_, i) => `R${i + 1}`);

/**
 * Splits docs/rules.md into its rules: each starts at its anchor (`<a id="r7"></a>`) and a
 * `## R7 — Title` heading, and runs to the next anchor. Text before the first rule is not a rule.
 */
export function parseRules(markdown: string): RuleText[] {
  const out: RuleText[] = [];
  const parts = markdown.split(/^<a id="(r\d+)"><\/a>\s*$/m);
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const body = (parts[i + 1] ?? '').trim();
    const heading = /^##\s+(R\d+)\s*[—-]\s*(.*)$/m.exec(body);
    const id = heading?.[1] ?? (parts[i] ?? '').toUpperCase();
    out.push({ id, title: heading?.[2]?.trim() ?? id, text: heading ? body.slice(heading.index + heading[0].length).trim() : body });
  }
  return out;
}
