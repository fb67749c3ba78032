import { isAlias, isMap, isScalar, isSeq, type Alias, type CST, type Document, type Node } from 'yaml';
import type { LoadLimits } from './loadLimits.js';

/**
 * Offset of the first line whose layout could nest block maps and lists too
 * deep for yaml's parser, checked before it runs: its Parser closes nested
 * block collections recursively on a dedent (about 1,500 levels overflow a
 * 1 MiB stack). A nested block collection always starts right of its parent
 * (at most one level, a list under a map key, shares its column), so depth is
 * at most twice the column where a line's indentation and `- `/`? `/`: `
 * markers end. `maxColumns` (4 x maxDepth) refuses only layouts no scenario
 * needs; the exact depth check follows on the parser's tokens.
 */
export function tooIndentedOffset(text: string, maxColumns: number): number | undefined {
  const prefix = /[ \t]*(?:[-?:](?=[ \t\r\n]|$)[ \t]*)*/y;
  for (let start = 0; start < text.length; ) {
    prefix.lastIndex = start;
    const m = prefix.exec(text);
    const width = m ? m[0].length : 0;
    if (width > maxColumns) return start + maxColumns;
    const nl = text.indexOf('\n', start + width);
    if (nl < 0) break;
    start = nl + 1;
  }
  return undefined;
}

/**
 * Offset of the first map or list nested deeper than `maxDepth`, found on the
 * parser's tokens before anything recursive runs over them (the composer and
 * every reader after it recurse once per level: ~800 levels overflow the stack).
 * Iterative, so any depth is measured safely.
 */
export function tooDeepOffset(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { token, depth } = top;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > maxDepth) return token.offset;
      for (const item of token.items) {
        if (item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

export interface Expansion {
  /** Each alias's node: the last one with its anchor before it, found once (yaml's Alias.resolve walks the whole document per call). */
  targets: Map<Alias, Node>;
  problems: Array<{ node: Node; message: string }>;
}

interface Measure {
  /** Nodes once every alias and merge key inside is expanded. */
  size: number;
  /** Levels of maps and lists, itself included, aliases expanded. */
  height: number;
}

const LEAF: Measure = { size: 1, height: 0 };

const isMergeKey = (key: unknown): boolean => isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && key.source === '<<'));

/** The identity yaml's own uniqueKeys check uses: scalars by value (1 and "1" differ; each merge key is its own symbol). */
function keyId(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v: unknown = key.value;
  return typeof v === 'symbol' ? undefined : `${typeof v}:${String(v)}`;
}

/**
 * One pass over a composed document that prices what aliases and merge keys
 * expand to, before any reader follows them. A 600-byte file of merge keys
 * each merging the previous anchor twice doubles per level (20 levels: a
 * million maps); `maxAliasNodes` bounds the nodes aliases bring in, counted
 * with repetition, which bounds every later walk. Also finds alias cycles,
 * nesting that only aliases make too deep, and duplicate keys (a linear
 * check: yaml's uniqueKeys compares each key with every earlier one).
 *
 * Recursive over the document as written: tooDeepOffset has already bounded
 * that to `maxDepth`. Aliases are not followed, only priced from their target's
 * measure, so the pass is linear in the file.
 */
export function expandBudget(doc: Document, limits: Pick<LoadLimits, 'maxDepth' | 'maxAliasNodes'>): Expansion {
  const targets = new Map<Alias, Node>();
  const problems: Expansion['problems'] = [];
  const anchors = new Map<string, Node>();
  const measured = new Map<Node, Measure>();
  const open = new Set<Node>();
  let aliasNodes = 0;
  let stopped = false;
  const stop = (node: Node, message: string): Measure => {
    problems.push({ node, message });
    stopped = true;
    return LEAF;
  };

  const visit = (node: unknown, depth: number, merged: boolean): Measure => {
    if (stopped || node === null || typeof node !== 'object') return LEAF;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      // An alias to no anchor is a composer error already.
      if (!target) return LEAF;
      targets.set(node, target);
      if (open.has(target)) {
        return stop(node, merged ? 'YAML: a merge key (<<) refers back to the map it is in (an alias cycle)' : `YAML: *${node.source} refers back to a map or list it is in (an alias cycle)`);
      }
      const m = measured.get(target) ?? LEAF;
      aliasNodes += m.size;
      if (aliasNodes > limits.maxAliasNodes) {
        return stop(node, `YAML: aliases and merge keys (<<) expand to more than ${limits.maxAliasNodes} nodes by *${node.source} here (a limit against alias and merge bombs: write the repeated parts out, or repeat them less)`);
      }
      if (depth + m.height > limits.maxDepth) {
        return stop(node, `YAML: *${node.source} nests maps and lists more than ${limits.maxDepth} levels deep once aliases and merge keys are expanded`);
      }
      return m;
    }
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    if (!isMap(n) && !isSeq(n)) return LEAF;
    open.add(n);
    let size = 1;
    let height = 0;
    const add = (m: Measure): void => {
      size += m.size;
      height = Math.max(height, m.height);
    };
    if (isMap(n)) {
      const keys = new Set<string>();
      for (const pair of n.items) {
        const id = keyId(pair.key);
        if (id !== undefined && keys.has(id)) problems.push({ node: pair.key as Node, message: 'YAML: Map keys must be unique' });
        if (id !== undefined) keys.add(id);
        add(visit(pair.key, depth + 1, false));
        add(visit(pair.value, depth + 1, isMergeKey(pair.key)));
      }
    } else {
      for (const item of n.items) add(visit(item, depth + 1, merged));
    }
    open.delete(n);
    const m = { size, height: height + 1 };
    measured.set(n, m);
    return m;
  };
  visit(doc.contents, 0, false);
  return { targets, problems };
}
