import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, type Alias, type Document, type Node, type Pair } from 'yaml';
import { DEFAULT_LOAD_LIMITS, type LoadLimits } from './loadLimits.js';
import type { ScenarioProblem } from './scenarioProblem.js';
import { expandBudget, tooDeepOffset, tooIndentedOffset } from './yamlBudget.js';

export type YamlLimits = Pick<LoadLimits, 'maxDepth' | 'maxAliasNodes' | 'maxProblems'>;

/**
 * A parsed YAML file that keeps every node's position, so each problem can
 * be reported at file:line:column. Merge keys (<<) and anchors work, within
 * the budgets of yamlBudget.ts: a file too deep, or whose aliases expand too
 * far, is one problem and no document.
 */
export class YamlSource {
  readonly doc: Document | undefined;
  private readonly lines = new LineCounter();
  private readonly targets = new Map<Alias, Node>();
  readonly problems: ScenarioProblem[] = [];
  private unlisted = 0;

  constructor(
    readonly file: string,
    text: string,
    private readonly limits: YamlLimits = DEFAULT_LOAD_LIMITS,
  ) {
    const indented = tooIndentedOffset(text, 4 * limits.maxDepth);
    if (indented !== undefined) {
      // The parser fills the line counter; it does not run here, so count the lines up to the problem.
      this.lines.addNewLine(0);
      for (let nl = text.indexOf('\n'); nl >= 0 && nl < indented; nl = text.indexOf('\n', nl + 1)) this.lines.addNewLine(nl + 1);
      this.problemAt(indented, `YAML: indented or nested past column ${4 * limits.maxDepth}, too deep to parse safely (the limit is ${limits.maxDepth} levels of maps and lists)`);
      return;
    }
    // parseDocument's two halves, so the depth is checked between them.
    const tokens = Array.from(new Parser(this.lines.addNewLine).parse(text));
    const deep = tooDeepOffset(tokens, limits.maxDepth);
    if (deep !== undefined) {
      this.problemAt(deep, `YAML: maps and lists nested more than ${limits.maxDepth} levels deep`);
      return;
    }
    // uniqueKeys off: yaml compares each key with every earlier one (quadratic); expandBudget checks them linearly.
    const composer = new Composer({ merge: true, uniqueKeys: false });
    let doc: Document | undefined;
    for (const d of composer.compose(tokens, true, text.length)) {
      if (doc) {
        this.problemAt(d.range[0], 'YAML: a scenario file holds one document (a second one starts here)');
        break;
      }
      doc = d;
    }
    this.doc = doc;
    for (const e of [...(doc?.errors ?? []), ...(doc?.warnings ?? [])]) {
      // prettyErrors is off, so linePos is not filled in: compute it from the offset.
      this.problemAt(e.pos[0], `YAML: ${e.message.split('\n')[0] ?? e.message}`);
    }
    if (!doc || this.problems.length > 0) return;
    const expansion = expandBudget(doc, limits);
    for (const [alias, target] of expansion.targets) this.targets.set(alias, target);
    for (const p of expansion.problems) this.problem(p.node, p.message);
  }

  get root(): Node | null {
    return this.doc?.contents ?? null;
  }

  position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  problem(node: Node | null | undefined, message: string): void {
    this.problemAt(node?.range?.[0] ?? 0, message);
  }

  private problemAt(offset: number, message: string): void {
    // The first maxProblems - 1 are listed; the last line says how many more there are, from where.
    const listed = this.limits.maxProblems - 1;
    if (this.problems.length < listed) {
      const p = this.lines.linePos(offset);
      this.problems.push({ file: this.file, line: p.line, column: p.col, message });
      return;
    }
    this.unlisted++;
    if (this.unlisted === 1) {
      const p = this.lines.linePos(offset);
      this.problems.push({ file: this.file, line: p.line, column: p.col, message: '' });
    }
    const summary = this.problems[listed];
    if (summary) summary.message = `${this.unlisted} more problem${this.unlisted === 1 ? '' : 's'} from here on, not listed (only the first ${listed} are)`;
  }

  /** Follows an alias to the node it names (found once by expandBudget). */
  deref(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) return this.targets.get(node) ?? null;
    return node ?? null;
  }

  /** A map's entries, merge keys expanded, each with its key node for positions. */
  entries(node: Node, visiting: Set<Node> = new Set()): Array<{ key: string; keyNode: Node; value: Node | null }> {
    const out = new Map<string, { key: string; keyNode: Node; value: Node | null }>();
    const n = this.deref(node);
    if (!n || !isMap(n)) return [];
    // A merge key that reaches back to a map being expanded (`&a { <<: *a }`) is a cycle: report it, stop.
    if (visiting.has(n)) {
      this.problem(n, 'YAML: a merge key (<<) refers back to the map it is in (an alias cycle)');
      return [];
    }
    visiting.add(n);
    for (const pair of n.items as Array<Pair<Node, Node | null>>) {
      const keyNode = pair.key;
      // yaml 2.x gives a merge key's scalar the value Symbol(<<): use its description.
      const raw: unknown = isScalar(keyNode) ? keyNode.value : keyNode;
      const key = typeof raw === 'symbol' ? (raw.description ?? String(raw)) : String(raw);
      if (key === '<<') {
        const src = this.deref(pair.value);
        const sources = src && isSeq(src) ? (src.items as Node[]).map((x) => this.deref(x)) : [src];
        for (const s of sources) {
          if (s && isMap(s)) {
            // Keys written in the map win over merged ones, the first merged source over later ones.
            for (const e of this.entries(s, visiting)) if (!out.has(e.key)) out.set(e.key, e);
          }
        }
        continue;
      }
      // A later written key replaces a merged one and moves to its place in writing order.
      out.delete(key);
      out.set(key, { key, keyNode, value: pair.value });
    }
    visiting.delete(n);
    return [...out.values()];
  }
}

export { isMap, isScalar, isSeq, type Node };
