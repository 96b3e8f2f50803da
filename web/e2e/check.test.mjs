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
  // The page sends the browser's clock as the post's time, and Chiltern
  // forbids personal posts in the working day: post at 19:00 UTC, after
  // school in winter and summer time alike, whenever the test runs.
  const evening = new Date();
  evening.setUTCHours(19, 0, 0, 0);
  await page.clock.setFixedTime(evening);
  await page.getByLabel('What you want to post').fill('Lovely walk in the Chilterns this weekend.');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.locator('#check-result .verdict').waitFor();
  assert.equal(await page.locator('#check-result .verdict').innerText(), 'Nothing found');
  assert.equal(await page.locator('#check-result mark').count(), 0);
  await checkA11y(page, 'the check page on a phone');
  await shot(page, 'check-phone');
});

scenario('keyboard only: skip link, the check form and its result; large print', async () => {
  const page = await signIn('lt2.teacher');
  await open(page, '#/check', 'Check a post');
  // A new page puts focus on its heading. Going back from there with
  // Shift+Tab passes the navigation and header and reaches the skip link
  // first in the document, which takes focus back to the heading.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  let onSkip = false;
  for (let i = 0; i < 30 && !onSkip; i += 1) {
    await page.keyboard.press('Shift+Tab');
    onSkip = (await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to content';
  }
  assert.ok(onSkip, 'the skip link is reachable from the keyboard');
  assert.ok(await page.getByRole('link', { name: 'Skip to content' }).isVisible(), 'and visible when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'text');
  await page.keyboard.type('Parents evening tonight, come and see what the pupils have made!');
  let onButton = false;
  for (let i = 0; i < 12 && !onButton; i += 1) {
    await page.keyboard.press('Tab');
    onButton = await page.evaluate(() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent === 'Check');
  }
  assert.ok(onButton, 'the Check button is reachable with Tab');
  // Focus is visible where it lands.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await page.keyboard.press('Enter');
  await page.locator('#check-result .verdict').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Result', 'focus moves to the result');

  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p.intro')).fontSize));
  await page.getByLabel('Large print').check();
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p.intro')).fontSize));
  assert.ok(after >= before * 1.3, `large print makes text bigger (${before}px -> ${after}px)`);
  await checkA11y(page, 'the check page in large print');
  await shot(page, 'check-large-print');
  // The setting stays for the next visit.
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('large-print')));
});

scenario('abuse without a listed word shows the classifier, its score and its words', async () => {
  const page = await signIn('mercia.teacher');
  await nav(page, 'Check a post');
  const text = 'Honestly, the new deputy is the most useless, gutless excuse for a leader I have met';
  await page.getByLabel('What you want to post').fill(text);
  await page.getByRole('button', { name: 'Check' }).click();
  const result = page.locator('#check-result');
  await result.getByRole('heading', { name: 'Result' }).waitFor();
  const line = result.locator('p.classifier').first();
  await line.waitFor();
  assert.match(await line.innerText(), /Text classifier: \w+ \d+% \(a person reviews from \d+%, blocked from \d+%\)/);
  // The words that drove the score are highlighted like listed words.
  const marks = await result.locator('mark').allInnerTexts();
  assert.ok(marks.length > 0 && marks.every((m) => text.includes(m)), `highlighted: ${marks}`);
  await checkA11y(page, 'a classifier finding');
  await shot(page, 'check-classifier');
  noJsErrors(page);
});

// A certificate drawn in the browser, as a photo a teacher might attach.
async function certificate(page, name) {
  const dataUrl = await page.evaluate((who) => {
    const c = document.createElement('canvas');
    c.width = 1000;
    c.height = 700;
    const g = c.getContext('2d');
    g.fillStyle = '#fffdf5';
    g.fillRect(0, 0, 1000, 700);
    g.strokeStyle = '#5e35b1';
    g.lineWidth = 12;
    g.strokeRect(30, 30, 940, 640);
    g.fillStyle = '#222';
    g.textAlign = 'center';
    g.font = 'bold 56px "DejaVu Serif", serif';
    g.fillText('Star of the Week', 500, 160);
    g.font = '30px "DejaVu Sans", sans-serif';
    g.fillText('This certificate is awarded to', 500, 260);
    g.font = '64px "DejaVu Sans", sans-serif';
    g.fillText(who, 500, 370);
    g.font = '30px "DejaVu Sans", sans-serif';
    g.fillText('for brilliant reading this term', 500, 460);
    return c.toDataURL('image/png');
  }, name);
  return { name: 'certificate.png', mimeType: 'image/png', buffer: Buffer.from(dataUrl.split(',')[1], 'base64') };
}

scenario('a pupil’s name on a certificate in a picture is found, with where it is', async () => {
  const page = await signIn('mercia.teacher');
  await nav(page, 'Check a post');
  await page.getByLabel('What you want to post').fill('Congratulations to our Star of the Week!');
  await page.getByLabel('A school or trust (official) account').check();
  await page.getByLabel('A picture (optional)').setInputFiles(await certificate(page, 'Jamie Marlow'));
  await page.getByRole('button', { name: 'Check' }).click();
  const result = page.locator('#check-result');
  await result.getByRole('heading', { name: 'Result' }).waitFor();
  const finding = result.locator('article.finding', { hasText: 'Jamie Marlow' }).first();
  await finding.waitFor();
  assert.match(await finding.innerText(), /MERCIA-PROT-2/);
  assert.match(await finding.innerText(), /“Jamie Marlow” in image 1 at \d+,\d+/);
  // The picture can be saved back without its metadata.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save a copy without its location' }).click()]);
  assert.equal(download.suggestedFilename(), 'clean-certificate.png');
  await checkA11y(page, 'a finding from a picture');
  await shot(page, 'check-picture-name');
  noJsErrors(page);
});
