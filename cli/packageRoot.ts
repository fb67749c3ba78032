import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The installed package's root (dist/cli/ is two levels down), where scenarios/ ships. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SITE = path.join(PACKAGE_ROOT, 'scenarios', 'default-site.yaml');
export const DEFAULT_SUITE = path.join(PACKAGE_ROOT, 'scenarios');

/** package.json's version: the one `--version` prints (never a copy in the code). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}
