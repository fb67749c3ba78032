import type { FuzzReport, Violation } from './fuzzRun.js';

const n = (x: number): string => Math.round(x).toLocaleString('en');

function table(counts: Record<string, number>, indent = '  '): string[] {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${indent}${k.padEnd(width)}  ${n(v).padStart(9)}`);
}

/** How to replay one violation. */
export function replayHint(v: Violation, target: FuzzReport['target']): string {
  const fn = target === 'decoder' ? 'decoderCase' : 'scenarioLoaderCase';
  return `${fn}(${v.seed}, ${v.index})`;
}

/** A plain-text report: inputs, rate, counts per outcome (error code), the strategies used, every violation. */
export function formatReport(r: FuzzReport, options: { showRecipes?: boolean; maxInputChars?: number } = {}): string {
  const title = r.target === 'decoder' ? 'FrameDecoder' : 'loadScenario';
  const out = [
    `${title}: ${n(r.inputs)} of ${n(r.iterations)} inputs, seed ${r.seed} (replay: FUZZ_SEED=${r.seed}), ` +
      `${(r.elapsedMs / 1000).toFixed(2)} s, ${n(r.inputsPerSecond)} inputs/s, ${n(r.bytes)} bytes, slowest input ${r.slowestMs.toFixed(1)} ms (#${r.slowestIndex})`,
    ' outcomes:',
    ...table(r.outcomes),
  ];
  if (options.showRecipes) out.push(' strategies, mutations and problem kinds:', ...table(r.recipes));
  if (r.stalls !== undefined) {
    out.push(` stalled: input${r.stalls.length === 1 ? '' : 's'} ${r.stalls.map((i) => `#${i}`).join(', ')} overran the hang bound once and completed when run again alone (a busy machine, not a hang)`);
  }
  if (r.aborted !== undefined) out.push(` ABORTED: ${r.aborted}`);
  out.push(` violations: ${r.violations.length}`);
  const max = options.maxInputChars ?? 400;
  for (const v of r.violations) {
    out.push(`  - ${v.kind} at input #${v.index} (${v.recipe}${v.file !== undefined ? `, ${v.file}` : ''}${v.maxFrame !== undefined ? `, maxFrame ${v.maxFrame}` : ''}): ${v.detail}`);
    out.push(`    replay: ${replayHint(v, r.target)}`);
    if (v.input !== undefined) out.push(`    input: ${JSON.stringify(v.input.length > max ? `${v.input.slice(0, max)}...` : v.input)}`);
    if (v.cuts !== undefined && v.cuts.length > 0) out.push(`    chunks cut at: ${v.cuts.slice(0, 40).join(', ')}${v.cuts.length > 40 ? ', ...' : ''}`);
  }
  return out.join('\n');
}
