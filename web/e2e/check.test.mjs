// A teacher checks a post before posting and sees the clause it breaks, with
// its wording and what to do; then asks the Headteacher, who answers.
import assert from 'node:assert/strict';
import { nav, checkA11y, scenario, noJsErrors, open, shot, signIn } from './harness.mjs';

scenario('a teacher checks a post and sees the clause, its wording and what to do', async () => {
  const page = await signIn('lionheart.teacher');
  await nav(page, 'Check a post');
  await page.getByRole('heading', { level: 1, name: 'Check a post' }).waitFor();
  await checkA11y(page, 'the empty check page');
  await page.getByLabel('What you want to post').fill('Honestly the head is an idiot and our school is a joke. Drinks tonight!');
  await page.getByLabel('Where').selectOption('facebook');
  await page.getByRole('button', { name: 'Check' }).click();
  const result = page.locator('#check-result');
  await result.getByRole('heading', { name: 'Result' }).waitFor();
  assert.match(await result.locator('.verdict').innerText(), /Check before posting/);
  // The words that were found are highlighted in the text...
  const marks = await result.locator('mark').allInnerTexts();
  assert.ok(marks.includes('idiot'), `highlighted: ${marks}`);
  // ...and each finding cites its clause with the policy's own wording.
  const finding = result.locator('article.finding', { hasText: 'Insulting language' });
  assert.match(await finding.innerText(), /LAT-4\.1-10/);
  assert.match(await finding.innerText(), /Do not post anything that could offend any staff member, parent or pupil/);
  assert.match(await finding.locator('.next').innerText(), /What to do: Change the highlighted words, or ask Headteacher before posting/);
  await checkA11y(page, 'the check page with findings');
  await shot(page, 'check-findings');

  // Ask first: the question goes to the pack's advice route.
  await page.getByLabel('Your question').fill('Is this too much?');
  await page.getByRole('button', { name: 'Ask Headteacher' }).click();
  await page.getByText('Sent to Headteacher').waitFor();
  noJsErrors(page);

  const head = await signIn('lionheart.head');
  await open(head, '#/mine', 'My items');
  await head.getByRole('link', { name: 'Is this too much?' }).first().click();
  await head.getByRole('heading', { level: 1, name: 'Question before posting' }).waitFor();
  await head.getByLabel('Decision').selectOption('do_not_post');
  await head.getByLabel('Answer').fill('Please do not post this; talk to me.');
  await head.getByRole('button', { name: 'Send answer' }).click();
  await head.getByRole('heading', { name: 'The answer' }).waitFor();
  await checkA11y(head, 'an answered question');

  await open(page, '#/mine', 'My items');
  const item = page.locator('#mine-advice').locator('..').getByRole('listitem').filter({ hasText: 'Is this too much?' });
  assert.match(await item.innerText(), /Do not post/);
  await shot(page, 'mine-teacher');
  await checkA11y(page, 'my items');
});

scenario('an allowed post says nothing was found, on a phone too', async () => {
  const page = await signIn('chiltern.teacher', { viewport: 'phone' });
  await nav(page, 'Check a post');
  await page.getByLabel('What you want to post').fill('Lovely walk in the Chilterns this weekend.');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.locator('#check-result .verdict').waitFor();
  assert.equal(await page.locator('#check-result .verdict').innerText(), 'Nothing found');
  assert.equal(await page.locator('#check-result mark').count(), 0);
  await checkA11y(page, 'the check page on a phone');
  await shot(page, 'check-phone');
});
