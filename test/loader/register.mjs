// `node --import=./test/loader/register.mjs file.ts`: see prebuiltTs.mjs (tap passes it to every test process).
import { register } from 'node:module';

register('./prebuiltTs.mjs', import.meta.url);
import './childCoverage.mjs';
import './lightWorkers.mjs';
