// Runs every scenario against one server and one browser:
//   node e2e/run.mjs            (from web/; see harness.mjs for the environment)
import { after, before } from 'node:test';
import { start, stop } from './harness.mjs';

before(start, { timeout: 180000 });
after(stop);

await import('./check.test.mjs');
await import('./posts.test.mjs');
await import('./safeguarding.test.mjs');
await import('./registers.test.mjs');
await import('./pages.test.mjs');
