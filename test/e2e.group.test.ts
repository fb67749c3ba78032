// The test files of group "e2e" in one tap process (test/helpers/testGroups.ts says which, and why).
import { runGroup } from './helpers/testGroups.js';

await runGroup('e2e');
