import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The installed package's root (dist/cli/ is two levels down), where scenarios/ ships. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_SITE = path.join(PACKAGE_ROOT, 'scenarios', 'default-site.yaml');
export const DEFAULT_SUITE = path.join(PACKAGE_ROOT, 'scenarios');
