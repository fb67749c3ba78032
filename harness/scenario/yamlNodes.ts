import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { ScenarioProblem } from './scenarioProblem.js';

/**
 * A parsed YAML file that keeps every node's position, so each problem can
 * be reported at file:line:column. Merge keys (<<) and anchors work.
 */
export class YamlSource {
  readonly doc: Document;
  private readonly lines = new LineCounter();
  readonly problems: ScenarioProblem[] = [];

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, merge: true, prettyErrors: false, uniqueKeys: true });
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      // prettyErrors is off, so linePos is not filled in: compute it from the offset.
      const pos = e.linePos?.[0] ?? (e.pos ? this.lines.linePos(e.pos[0]) : undefined);
      this.problems.push({ file, line: pos?.line ?? 1, column: pos?.col ?? 1, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` });
    }
  }

  get root(): Node | null {
    return this.doc.contents;
  }

  position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  problem(node: Node | null | undefined, message: string): void {
    this.problems.push({ file: this.file, ...this.position(node), message });
  }

  /** Follows an alias to the node it names. */
  deref(node: Node | null | undefined): Node | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node ?? null;
  }

  /** A map's entries, merge keys expanded, each with its key node for positions. */
  entries(node: Node, visiting: Set<Node> = new Set()): Array<{ key: string; keyNode: Node; value: Node | null }> {
    const out: Array<{ key: string; keyNode: Node; value: Node | null }> = [];
    const n = this.deref(node);
    if (!n || !isMap(n)) return out;
    // A merge key that reaches back to a map being expanded (`&a { <<: *a }`) is a cycle: report it, stop.
    if (visiting.has(n)) {
      this.problem(n, 'YAML: a merge key (<<) refers back to the map it is in (an alias cycle)');
      return out;
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
            for (const e of this.entries(s, visiting)) if (!out.some((o) => o.key === e.key)) out.push(e);
          }
        }
        continue;
      }
      const existing = out.findIndex((o) => o.key === key);
      if (existing >= 0) out.splice(existing, 1);
      out.push({ key, keyNode, value: pair.value });
    }
    visiting.delete(n);
    return out;
  }
}

export { isMap, isScalar, isSeq, type Node };
