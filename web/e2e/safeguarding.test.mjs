// Safeguarding at Lionheart: a teacher records a message from a pupil; the
// policy requires it reported, so the DSL gets a case at once. Another
// teacher at the same school cannot see it, not even by its address.
import assert from 'node:assert/strict';
import { nav, apiAs, checkA11y, noJsErrors, open, PASSWORD, scenario, settled, shot, signIn } from './harness.mjs';

scenario('a teacher records a message from a pupil; the DSL sees the case; another teacher cannot', async () => {
  // A second teacher at Ashby Fields (S008 in the demo staff register).
  const head = await apiAs('lionheart.head');
  const made = await head('POST', '/api/v1/users', {
    username: 'ryan.oyelaran',
    password: PASSWORD,
    display_name: 'Ryan Oyelaran',
    staff_id: 'S008',
    roles: [{ role: 'teacher', school: 'ashby-fields' }],
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));

  const teacher = await signIn('lionheart.teacher');
  await nav(teacher, 'Record a contact');
  await teacher.getByRole('heading', { level: 1, name: 'Record a contact' }).waitFor();
  await checkA11y(teacher, 'the record-a-contact form');
  await teacher.getByLabel('What happened').selectOption('message');
  await teacher.getByLabel('Where').selectOption('instagram');
  await teacher.getByLabel('Their name').fill('Ronnie Ellison');
  await teacher.getByLabel('They are').selectOption('pupil');
  await teacher.getByLabel('Pupil ID, if you know it').fill('P0001');
  await teacher.getByLabel(/What they wrote/).fill('hi miss can i add you on insta? dont tell anyone');
  await teacher.getByRole('button', { name: 'Record it' }).click();
  const outcome = teacher.locator('section', { has: teacher.getByRole('heading', { name: 'What the policy requires' }) });
  await outcome.waitFor();
  const said = await outcome.innerText();
  assert.match(said, /Do not reply/);
  assert.match(said, /Report/);
  const opened = /case \((case[^)]+)\) has been opened for Designated Safeguarding Lead/.exec(said);
  assert.ok(opened, said);
  const caseId = opened[1];
  await checkA11y(teacher, 'the contact outcome');
  await shot(teacher, 'contact-recorded');
  // The contact is listed with its case.
  await teacher.locator('section', { has: teacher.locator('#contact-history') }).getByRole('link', { name: caseId }).waitFor();
  noJsErrors(teacher);

  // The DSL sees it among their cases and can open it.
  const dsl = await signIn('lionheart.dsl');
  await nav(dsl, 'Cases');
  await dsl.getByRole('heading', { level: 1 }).waitFor();
  await settled(dsl);
  const row = dsl.getByRole('link', { name: /received a message from Ronnie Ellison/ }).first();
  await row.waitFor();
  await row.click();
  await dsl.getByText('hi miss can i add you on insta? dont tell anyone').first().waitFor();
  assert.match(await dsl.locator('main').innerText(), /safeguarding/i);
  await shot(dsl, 'case-dsl');

  // Another teacher: no Cases in the menu, and the case's address says not found.
  const other = await signIn('ryan.oyelaran');
  assert.equal(await other.getByRole('link', { name: 'Cases', exact: true }).count(), 0);
  await other.goto(`/#/cases/${caseId}`);
  await other.getByRole('heading', { level: 1, name: 'Case not found' }).waitFor();
  assert.match(await other.locator('main').innerText(), /no case with this reference that you can see/);
  assert.doesNotMatch(await other.locator('main').innerText(), /Ronnie|insta/);
  const api = await apiAs('ryan.oyelaran');
  assert.equal((await api('GET', `/api/v1/cases/${caseId}`)).status, 404);
  await shot(other, 'case-other-teacher');
});

scenario('Mercia: the policy is silent about pupil messages; staff can still report', async () => {
  const page = await signIn('mercia.teacher', { viewport: 'phone' });
  await open(page, '#/contacts', 'Record a contact');
  await page.getByLabel('Their name').fill('A parent');
  await page.getByLabel('They are').selectOption('parent');
  await page.getByLabel('What happened').selectOption('friend_request');
  await page.getByRole('button', { name: 'Record it' }).click();
  const outcome = page.locator('section', { has: page.getByRole('heading', { name: 'What the policy requires' }) });
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /Nothing is required|does not forbid/);
  await checkA11y(page, 'contacts on a phone');
  await shot(page, 'contact-phone');
});
