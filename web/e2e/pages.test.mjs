// Every main page for every kind of user: axe-core's WCAG 2.1 A and AA rules
// on a desktop and a phone, a screenshot of each, no console errors. Plus the
// sign-in page, acknowledging the policy, and reporting a concern.
import assert from 'node:assert/strict';
import { checkA11y, eventually, nav, noJsErrors, open, scenario, shot, signIn, browser, base } from './harness.mjs';

// The pages each user's menu offers, visited through the menu.
const people = ['mercia.teacher', 'mercia.office', 'mercia.slt', 'lt2.overseer', 'lt2.hr', 'chiltern.head', 'lionheart.it'];

for (const viewport of ['desktop', 'phone']) {
  scenario(`every page in each user's menu passes axe (${viewport})`, async () => {
    for (const user of people) {
      const page = await signIn(user, { viewport });
      if (viewport === 'phone') await page.getByRole('button', { name: 'Menu' }).click();
      const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
      if (viewport === 'phone') await page.getByRole('button', { name: 'Menu' }).click();
      assert.ok(links.length >= 6, `${user}: menu ${links}`);
      for (const name of links) {
        await nav(page, name);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await checkA11y(page, `${user} ${name} (${viewport})`);
        if (viewport === 'desktop' || user === 'mercia.teacher') {
          await shot(page, `page-${user}-${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${viewport}`);
        }
      }
      noJsErrors(page);
      await page.context().close();
    }
  });
}

scenario('sign in: a wrong password is refused with a clear message; the page is accessible', async () => {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('heading', { name: 'Gatehouse' }).waitFor();
  await checkA11y(page, 'the sign-in page');
  await page.getByLabel('Username').fill('chiltern.teacher');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /username or password/i);
  await checkA11y(page, 'the sign-in page with an error');
  await shot(page, 'sign-in-error');
  await context.close();
});

scenario('a teacher reads and acknowledges the policy, and reports a concern', async () => {
  const page = await signIn('chiltern.teacher');
  await nav(page, 'Policy');
  const ack = page.getByRole('button', { name: /I have read and understood version/ });
  await ack.waitFor();
  // The policy's own words, searchable.
  await page.getByLabel('Find in the policy').fill('friend');
  await eventually(async () => {
    assert.match(await page.locator('.policy-text').innerText(), /clauses match “friend”/);
    assert.match(await page.locator('.policy-text dd').first().innerText(), /friend/i);
  }, 'the policy filtered by “friend”');
  await ack.click();
  await page.getByText(/You acknowledged version/).waitFor();
  assert.equal(await page.getByRole('button', { name: /I have read and understood/ }).count(), 0);
  await shot(page, 'policy-acknowledged');

  await nav(page, 'Report a concern');
  await page.getByLabel('What kind of concern').selectOption('misuse');
  await eventually(async () => assert.match(await page.locator('#route-note').innerText(), /This goes to: Headteacher/), 'the route of a misuse concern');
  await page.getByRole('button', { name: 'Send report' }).click();
  // The API's message names the missing field and the form marks it.
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /summary/);
  assert.equal(await page.getByLabel('In a sentence').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('In a sentence').fill('A colleague posted pupils’ work with their full names');
  await page.getByLabel('What you saw').fill('On her public Instagram, yesterday evening.');
  await page.getByRole('button', { name: 'Send report' }).click();
  await page.getByText(/Your report case\S* has gone to Headteacher/).waitFor();
  await checkA11y(page, 'a concern reported');
  await nav(page, 'My items');
  assert.match(await page.locator('main').innerText(), /A colleague posted pupils’ work with their full names/);
  noJsErrors(page);
});
