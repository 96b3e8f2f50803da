// Runs the scenarios against one server and one browser:
//   node e2e/run.mjs              every e2e/*.test.mjs
//   node e2e/run.mjs cases check  only cases.test.mjs and check.test.mjs
// See harness.mjs for the environment it reads.
import { after, before } from 'node:test';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, stop } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = wanted.length
  ? wanted.map((n) => `${n}.test.mjs`)
  : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();

before(start, { timeout: 180000 });
after(stop);

for (const f of files) await import(`./${f}`);
