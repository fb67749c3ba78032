import { existsSync, readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder a scenario's includes must stay inside (docs/scenarios.md,
 * "Includes"). Scenario suites live in shared folders: without a root, one
 * `include: [../../etc/passwd]` reads any file the user can, and echoes it in
 * the problems. The rule:
 *  - a file of the bundled suite (this package's scenarios/) has that folder
 *    as its root, wherever it is run from (run and serve use it by default);
 *  - any other file has the root the user names (--root DIR), by default the
 *    current directory, where QA runs the suite from.
 * `given` is the root as resolved, `real` with symbolic links resolved: both
 * are compared, so a root reached through a link still contains its files.
 */
export interface ScenarioRoot {
  given: string;
  real: string;
}

/** `p` is `root` or below it (both absolute). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export const insideRoot = (root: ScenarioRoot, p: string): boolean => isInside(root.given, p) || isInside(root.real, p);

let bundled: string | null | undefined;

/** This package's scenarios/ (next to package.json, found upwards from here: source or dist/), or null. */
export function bundledSuite(): string | null {
  if (bundled !== undefined) return bundled;
  bundled = null;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(path.join(dir, 'scenarios'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'sipass-testbench') bundled = path.join(dir, 'scenarios');
      } catch {
        /* not ours */
      }
      break;
    }
    dir = path.dirname(dir);
  }
  return bundled;
}

const real = (p: string): Promise<string> => realpath(p).catch(() => p);

/** The root for the scenario file `file` (absolute), given the user's --root (if any). */
export async function scenarioRootFor(file: string, root: string | undefined): Promise<ScenarioRoot> {
  const suite = bundledSuite();
  if (suite !== null) {
    const suiteReal = await real(suite);
    if (isInside(suiteReal, await real(file))) return { given: suite, real: suiteReal };
  }
  const given = path.resolve(root ?? process.cwd());
  return { given, real: await real(given) };
}
