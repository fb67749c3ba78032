// The test files of group "rest" in one tap process (test/helpers/testGroups.ts says which, and why).
import { runGroup } from './helpers/testGroups.js';

await runGroup('rest');
