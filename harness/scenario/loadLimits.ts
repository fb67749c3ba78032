import { parseByteSize as parseCoreByteSize } from '../../core/byteSize.js';

/**
 * The scenario loader's budgets (docs/reliability.md, "Scenario loader
 * limits"). Scenario files come from shared folders: each limit turns a file
 * that would hang, exhaust memory or overflow the stack into one
 * file:line:column problem (exit 2). The two a real suite could outgrow have
 * CLI flags (--max-file-size, --max-steps); the others are far above any
 * hand-written or generated scenario.
 */
export interface LoadLimits {
  /** Bytes in one file (a scenario or a fragment it includes); read no further. */
  maxFileBytes: number;
  /** Entries in a scenario's `steps:`. */
  maxSteps: number;
  /** Nested maps and lists, counted after aliases and merge keys are expanded. */
  maxDepth: number;
  /** Nodes that aliases (*a) and merge keys (<<) bring in, counted with repetition. */
  maxAliasNodes: number;
  /** Included files per scenario, fragments of fragments included. */
  maxIncludes: number;
  /** Problems listed per file (a pathological file could otherwise print millions). */
  maxProblems: number;
}

export const DEFAULT_LOAD_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxFileBytes: 256 * 1024,
  maxSteps: 10_000,
  maxDepth: 100,
  maxAliasNodes: 250_000,
  maxIncludes: 64,
  maxProblems: 200,
});

/** 1048576 -> "1 MiB", 1536 -> "1.5 KiB", 12 -> "12 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * "4MiB", "512KiB", "2M", "100000" (bytes) -> bytes; undefined when not a size or not a positive
 * whole number of bytes (a file limit of 0 would refuse every file). The units are core/byteSize.ts's.
 */
export function parseByteSize(text: string): number | undefined {
  let n: number;
  try {
    n = parseCoreByteSize(text);
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
