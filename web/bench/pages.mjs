// How fast the web application feels, measured in real Chromium against a
// real `gatehouse serve` (fresh demo store): the time from an action to its
// result on screen, median of N runs, beside a baseline measured in the same
// run (fetching a static file from the same server, and navigating the tab
// to it: the floors any request and any page load pay).
//
//   GATEHOUSE_BIN=build/release/src/cli/gatehouse node web/bench/pages.mjs [runs]
//
// Prints a Markdown table (median and p90 in ms, ratio to the baseline).
import { base, signIn, start, stop } from '../e2e/harness.mjs';

const runs = Number(process.argv[2] || 20);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))] };
}
// Waits on every animation frame (Playwright's locators back off to 100-500
// ms between retries, which would dominate these timings).
const until = (page, cond, arg) => page.waitForFunction(cond, arg, { polling: 'raf' });

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

await start();
try {
  const teacher = await signIn('lionheart.teacher');
  const dsl = await signIn('lionheart.dsl');
  const results = {
    'baseline: GET /favicon.svg': [],
    'baseline: navigate the page to /favicon.svg': [],
    'open the app, signed in, to Today rendered': [],
    'Check a post: click Check to findings shown': [],
    'DSL: Cases list rendered': [],
    'Policy page with all clauses rendered': [],
  };
  const text = 'Honestly the head is an idiot and our school is a joke. Drinks tonight!';
  for (let i = 0; i < runs; i += 1) {
    results['baseline: GET /favicon.svg'].push(await time(() => teacher.request.get(base + '/favicon.svg')));
    results['baseline: navigate the page to /favicon.svg'].push(await time(() => teacher.goto(base + '/favicon.svg?n=' + i)));
    results['open the app, signed in, to Today rendered'].push(
      await time(async () => {
        await teacher.goto(base + '/?load=' + i + '#/');
        await until(teacher, () => document.querySelector('main h1')?.textContent === 'Today' && !document.querySelector('main[aria-busy=true]'));
      }),
    );
    await teacher.goto(base + '/#/check');
    await until(teacher, () => document.querySelector('main h1')?.textContent === 'Check a post');
    await teacher.getByLabel('What you want to post').fill(text);
    results['Check a post: click Check to findings shown'].push(
      await time(async () => {
        await teacher.getByRole('button', { name: 'Check', exact: true }).click();
        await until(teacher, () => document.querySelector('#check-result article.finding') !== null);
      }),
    );
    results['DSL: Cases list rendered'].push(
      await time(async () => {
        await dsl.goto(base + '/#/cases');
        await until(dsl, () => document.querySelector('main h1')?.textContent === 'Cases' && !document.querySelector('main[aria-busy=true]'));
      }),
    );
    results['Policy page with all clauses rendered'].push(
      await time(async () => {
        await teacher.goto(base + '/#/policy');
        await until(teacher, () => document.querySelector('.policy-section summary') !== null && !document.querySelector('main[aria-busy=true]'));
      }),
    );
  }
  const baseline = stats(results['baseline: GET /favicon.svg']).median;
  console.log(`| measurement (${runs} runs) | median ms | p90 ms | × baseline |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, xs] of Object.entries(results)) {
    const s = stats(xs);
    console.log(`| ${name} | ${s.median.toFixed(1)} | ${s.p90.toFixed(1)} | ${(s.median / baseline).toFixed(1)} |`);
  }
} finally {
  await stop();
}
