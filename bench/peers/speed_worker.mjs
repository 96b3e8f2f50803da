// One worker thread of run.mjs's all-cores measurement: runs one peer filter
// over its share of the texts, three passes, and reports how many it did.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(workerData.scratch, 'package.json'));
let fn;
if (workerData.peer === 'obscenity') {
  const o = require('obscenity');
  const m = new o.RegExpMatcher({ ...o.englishDataset.build(), ...o.englishRecommendedTransformers });
  fn = (t) => m.hasMatch(t);
} else {
  const { profanity } = require('@2toad/profanity');
  fn = (t) => profanity.exists(t);
}
parentPort.postMessage({ ready: true });
parentPort.once('message', () => {
  let n = 0;
  for (let k = 0; k < 3; k += 1) for (const text of workerData.texts) { fn(text); n += 1; }
  parentPort.postMessage({ done: n });
});
