// A concern from a teacher reaches the DSL on Today and in Cases; the DSL
// triages it, adds a note and evidence, asks for content to be removed, and
// closes it with an outcome; the teacher reads the outcome in the limited
// view, and someone the case is not routed to cannot open it. Today and the
// case pages pass axe-core (WCAG 2.1 AA) on a desktop and a phone.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { apiAs, base, checkA11y, eventually, noJsErrors, open, scenario, settled, shot, signIn } from './harness.mjs';

const SUMMARY = 'A Year 9 pupil messaged Ms Shackleton on Snapchat at night';
const NOTE = 'Spoke to the pupil with their form tutor; parents informed.';
const MESSAGE = 'Thank you for reporting this. The DSL has dealt with it.';
let caseId = '';

function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

scenario('a teacher reports a concern and the DSL sees it on Today and in Cases', async () => {
  const teacher = await apiAs('lionheart.teacher');
  const res = await teacher('POST', '/api/v1/cases', {
    category: 'safeguarding',
    summary: SUMMARY,
    details: 'The pupil asked to meet outside school. Screenshot kept.',
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  caseId = res.body.id;
  assert.deepEqual(res.body.routed_to, ['dsl']);

  const dsl = await signIn('lionheart.dsl');
  await open(dsl, '#/', 'Today');
  const cases = dsl.locator('section', { has: dsl.getByRole('heading', { level: 2, name: /Cases routed to you/ }) });
  await cases.waitFor();
  const newList = await cases.innerText();
  assert.match(newList, /New — not yet triaged/);
  assert.match(newList, new RegExp(SUMMARY));
  assert.match(newList, /Safeguarding/);
  assert.doesNotMatch(await dsl.locator('main').innerText(), /Nothing needs you today/);
  await checkA11y(dsl, 'Today for the DSL');
  await shot(dsl, 'today-dsl');

  // From Today to Cases: the list, its filters and search.
  await dsl.getByRole('link', { name: 'All cases' }).click();
  await dsl.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
  const item = dsl.locator('.case-item', { hasText: SUMMARY });
  await item.waitFor();
  assert.match(await item.innerText(), /Not triaged|Severity: High/);
  await dsl.getByLabel('Search').fill('no such thing anywhere');
  await dsl.getByText('No cases match these filters.').waitFor();
  await dsl.getByLabel('Search').fill('Snapchat');
  await item.waitFor();
  await dsl.getByLabel('Category').selectOption('media_enquiry');
  // The item was shown just before, so 0 here means the filter took effect.
  await eventually(async () => assert.equal(await item.count(), 0), 'the case filtered out by category');
  await dsl.getByLabel('Category').selectOption('safeguarding');
  await item.waitFor();
  await checkA11y(dsl, 'the cases list');
  await shot(dsl, 'cases-list-dsl');
  noJsErrors(dsl);
});

scenario('the DSL works the case in place: triage, note, evidence, removal, close', async () => {
  const dsl = await signIn('lionheart.dsl');
  await open(dsl, '#/cases', 'Cases');
  await dsl.getByRole('link', { name: SUMMARY }).click();
  await dsl.getByRole('heading', { level: 1, name: SUMMARY }).waitFor();
  await settled(dsl);
  assert.match(await dsl.locator('main').innerText(), /New case: it has not been triaged yet/);
  assert.match(await dsl.locator('main').innerText(), /Routed to\s+Designated Safeguarding Lead/);
  await checkA11y(dsl, 'a new case');
  // Actions change the case without reloading the page: a marker on window survives.
  await dsl.evaluate(() => (window.__noReload = true));

  // Triage.
  await dsl.getByLabel('Severity').selectOption('high');
  await dsl.getByRole('button', { name: 'Triage' }).click();
  await dsl.getByText('Triage saved: severity high.').waitFor();
  assert.match(await dsl.locator('.badges').first().innerText(), /Investigating/);
  assert.match(await dsl.locator('.badges').first().innerText(), /Severity: High/);

  // A note.
  await dsl.getByLabel('Note', { exact: true }).fill(NOTE);
  await dsl.getByRole('button', { name: 'Add note' }).click();
  await dsl.getByText('Note added.').waitFor();
  assert.match(await dsl.locator('section', { has: dsl.getByRole('heading', { name: /^Notes/ }) }).innerText(), new RegExp(NOTE));

  // Evidence: a small file, read in the browser and sent as base64.
  const bytes = Buffer.from('Screenshot stand-in: "can we meet after school?" 21:47\n');
  const sha = createHash('sha256').update(bytes).digest('hex');
  await dsl.locator('summary', { hasText: 'Add evidence' }).click();
  await dsl.getByLabel('Choose the file').setInputFiles({ name: 'snapchat-message.txt', mimeType: 'text/plain', buffer: bytes });
  await eventually(async () => assert.equal(await dsl.getByLabel('Name', { exact: true }).inputValue(), 'snapchat-message.txt'), 'the evidence name taken from the file');
  await dsl.getByRole('button', { name: 'Add evidence' }).click();
  await dsl.getByText(`SHA-256 ${sha}`).first().waitFor();
  const evidence = dsl.locator('section', { has: dsl.getByRole('heading', { name: /^Evidence/ }) });
  assert.match(await evidence.innerText(), new RegExp(sha));
  const href = await evidence.getByRole('link', { name: /Download/ }).getAttribute('href');
  const download = await dsl.request.get(base + href);
  assert.equal(download.status(), 200);
  assert.deepEqual(Buffer.from(await download.body()), bytes);

  // A removal request with a deadline three days away.
  await dsl.locator('summary', { hasText: 'Ask for content to be removed' }).click();
  await dsl.getByLabel('Who is asked').selectOption('S007');
  await dsl.getByLabel('What must be removed').fill('The reply to the pupil on Snapchat');
  // A deadline in the past is refused, and the field is marked.
  await dsl.getByLabel('Deadline').fill(localInput(new Date(Date.now() - 86400_000)));
  await dsl.getByRole('button', { name: 'Send removal request' }).click();
  await dsl.getByText('deadline: is in the past').waitFor();
  assert.equal(await dsl.getByLabel('Deadline').getAttribute('aria-invalid'), 'true');
  await dsl.getByLabel('Deadline').fill(localInput(new Date(Date.now() + 3 * 86400_000)));
  await dsl.getByRole('button', { name: 'Send removal request' }).click();
  await dsl.getByText(/Removal request sent; deadline .* \(due in 3 days\)/).waitFor();
  const removals = dsl.locator('section', { has: dsl.getByRole('heading', { name: 'Removal requests' }) });
  assert.match(await removals.innerText(), /Ivy Shackleton is asked to remove: The reply to the pupil on Snapchat/);
  assert.match(await removals.innerText(), /due in 3 days/);

  // Someone else changes the case meanwhile: the next action is refused with a clear message.
  const other = await apiAs('lionheart.dsl');
  const stale = await other('GET', `/api/v1/cases/${caseId}`);
  const r = await other('POST', `/api/v1/cases/${caseId}/note`, { text: 'Added from another window', version: stale.body.version });
  assert.equal(r.status, 200);
  await dsl.getByLabel('Note', { exact: true }).fill('This one clashes');
  await dsl.getByRole('button', { name: 'Add note' }).click();
  await dsl.getByText('Changed by someone else:').waitFor();
  await dsl.getByRole('button', { name: 'Load the latest version' }).click();
  await dsl.getByText('Showing the latest version of the case.').waitFor();
  assert.match(await dsl.locator('main').innerText(), /Added from another window/);

  // Closing needs the removal confirmed first.
  await dsl.locator('summary', { hasText: 'Close the case' }).click();
  assert.match(await dsl.locator('#panel-close').innerText(), /A removal request is still open/);
  await removals.getByRole('button', { name: 'Mark as removed' }).click();
  await dsl.getByText('Removal confirmed: The reply to the pupil on Snapchat.').waitFor();
  assert.match(await removals.innerText(), /Removed — confirmed by you/);

  await checkA11y(dsl, 'a case being worked on');
  await shot(dsl, 'case-dsl');

  // Close with an outcome: asked to confirm first.
  const close = dsl.locator('#panel-close');
  await close.getByLabel('Advice given').check();
  await close.getByLabel('Content removal requested').check();
  await close.getByLabel('Summary for the record').fill('Pupil supported; teacher reminded of LAT-4.1-2.');
  await close.getByLabel('Message to Ivy Shackleton').fill(MESSAGE);
  await close.getByRole('button', { name: 'Close case…' }).click();
  await close.getByText('Closing is final').waitFor();
  await checkA11y(dsl, 'the close confirmation');
  await close.getByRole('button', { name: 'Yes, close the case' }).click();
  await dsl.getByText('The case is closed and Ivy Shackleton has been told the outcome.', { exact: false }).waitFor();
  const text = await dsl.locator('main').innerText();
  assert.match(text, /Outcome/);
  assert.match(text, /Advice given/);
  assert.match(text, new RegExp(MESSAGE));
  assert.equal(await dsl.getByRole('button', { name: 'Add note' }).count(), 0, 'a closed case offers no actions');
  assert.equal(await dsl.evaluate(() => window.__noReload), true, 'the page was reloaded');
  await checkA11y(dsl, 'a closed case');
  await shot(dsl, 'case-closed-dsl');
  noJsErrors(dsl);
});

scenario('the reporter sees the outcome only; someone else gets "not found"', async () => {
  const teacher = await signIn('lionheart.teacher');
  await open(teacher, `#/cases/${caseId}`, SUMMARY);
  const text = await teacher.locator('main').innerText();
  assert.match(text, /Your report/);
  assert.match(text, /Outcome/);
  assert.match(text, new RegExp(MESSAGE));
  assert.doesNotMatch(text, new RegExp(NOTE), 'the reporter must not see handlers’ notes');
  assert.doesNotMatch(text, /Pupil supported/, 'nor the summary for the record');
  assert.equal(await teacher.getByRole('button', { name: 'Add note' }).count(), 0);
  await checkA11y(teacher, 'the reporter’s view');
  await shot(teacher, 'case-reporter');

  await open(teacher, '#/cases?mine=true', 'Reports I made');
  assert.match(await teacher.locator('.case-item', { hasText: SUMMARY }).innerText(), /Outcome ready/);
  await checkA11y(teacher, 'reports I made');

  await open(teacher, '#/', 'Today');
  const news = teacher.locator('section', { has: teacher.getByRole('heading', { level: 2, name: /Your items with news/ }) });
  assert.match(await news.innerText(), new RegExp(SUMMARY));
  noJsErrors(teacher);

  for (const who of ['lionheart.office', 'lionheart.slt']) {
    const page = await signIn(who);
    await open(page, `#/cases/${caseId}`, 'Case not found');
    const t = await page.locator('main').innerText();
    assert.match(await page.getByRole('alert').innerText(), /Not found: there is no case with this reference that you can see/);
    assert.doesNotMatch(t, new RegExp(SUMMARY));
    await checkA11y(page, `case not found for ${who}`);
  }
});

for (const viewport of ['desktop', 'phone']) {
  scenario(`Today and the case pages are accessible (${viewport})`, async () => {
    for (const user of ['lionheart.teacher', 'lionheart.dsl', 'lionheart.head', 'lionheart.office']) {
      const page = await signIn(user, { viewport });
      await open(page, '#/', 'Today');
      const main = await page.locator('main').innerText();
      assert.match(main, /Check a post/);
      assert.match(main, /Report a concern/);
      if (user === 'lionheart.office') assert.match(main, /Policy to acknowledge/);
      await checkA11y(page, `Today for ${user} (${viewport})`);
      await shot(page, `today-${user.split('.')[1]}-${viewport}`);
      if (user === 'lionheart.dsl') {
        await open(page, '#/cases?status=all', 'Cases');
        await checkA11y(page, `cases (${viewport})`);
        await shot(page, `cases-${viewport}`);
        await open(page, `#/cases/${caseId}`, SUMMARY);
        await checkA11y(page, `a case (${viewport})`);
        await shot(page, `case-${viewport}`);
      }
      if (user === 'lionheart.head') {
        // A case about a member of staff goes to the Headteacher; its open actions pass too.
        const t = await apiAs('lionheart.teacher');
        const r = await t('POST', '/api/v1/cases', { category: 'misuse', summary: `Colleague posted pupils’ photos (${viewport})`, subject_staff_id: 'S004' });
        assert.equal(r.status, 201, JSON.stringify(r.body));
        await open(page, `#/cases/${r.body.id}`, `Colleague posted pupils’ photos (${viewport})`);
        for (const s of ['Assign to someone', 'Add evidence', 'Ask for content to be removed', 'Escalate', 'Close the case']) {
          await page.locator('summary', { hasText: s }).click();
        }
        assert.match(await page.locator('#panel-escalate').innerText(), /sends this case to Chief Executive Officer/);
        await checkA11y(page, `an open case with every action shown (${viewport})`);
        await shot(page, `case-head-actions-${viewport}`);
      }
      noJsErrors(page);
    }
  });
}

scenario('LT2: gross misconduct needs one of the pack’s rules, and the field is marked', async () => {
  const teacher = await apiAs('lt2.teacher');
  const r = await teacher('POST', '/api/v1/cases', { category: 'misuse', summary: 'Abusive comments about a parent on Facebook' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const head = await signIn('lt2.head');
  await open(head, `#/cases/${r.body.id}`, 'Abusive comments about a parent on Facebook');
  await head.getByLabel('Severity').selectOption('gross_misconduct');
  await head.getByRole('button', { name: 'Triage' }).click();
  await head.getByText(/gross_misconduct_rule: is required/).waitFor();
  assert.equal(await head.getByLabel('Gross misconduct rule').getAttribute('aria-invalid'), 'true');
  await head.getByLabel('Gross misconduct rule').selectOption('harassment');
  await head.getByRole('button', { name: 'Triage' }).click();
  await head.getByText('Triage saved: severity gross misconduct.').waitFor();
  assert.match(await head.locator('main').innerText(), /Gross misconduct — Insults, bullying or harassment/);
  await checkA11y(head, 'an LT2 case triaged as gross misconduct');
  noJsErrors(head);
});

scenario('Today says when nothing needs you, where official posts are not used', async () => {
  const office = await apiAs('llmat.office');
  assert.equal((await office('GET', '/api/v1/trust')).body.official_posts.available, false);
  const policy = await office('GET', '/api/v1/policy');
  for (const v of policy.body.needs_acknowledgement) {
    assert.equal((await office('POST', `/api/v1/policy/versions/${encodeURIComponent(v)}/acknowledge`)).status, 200);
  }
  const page = await signIn('llmat.office', { viewport: 'phone' });
  await open(page, '#/', 'Today');
  await page.getByText('Nothing needs you today.').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /Could not load/);
  await checkA11y(page, 'an empty Today');
  await shot(page, 'today-empty-phone');
  noJsErrors(page);
});
