// Registers, policy administration and the governors' report, as their users
// meet them: a pupils roster imported through the page (a bad row first, then
// the fixed file), a record edited and deleted, a review and a new version of
// the policy recorded (the notice period enforced), and the governors' report
// with its charts. Every page is checked with axe-core on a desktop and a
// phone, and a screenshot of each is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiAs, checkA11y, noJsErrors, open, shot, signIn } from './harness.mjs';

const HEADER = 'id,first_name,last_name,preferred_name,date_of_birth,school,status,left_on,photo_consent,social_media_consent';
const csv = (...rows) => Buffer.from([HEADER, ...rows, ''].join('\r\n'), 'utf8');
const today = () => new Date().toISOString().slice(0, 10);
const plusDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

async function recordCount(page) {
  const text = await page.locator('.register-count').textContent();
  const m = /(\d+) records?/.exec(text ?? '');
  assert.ok(m, `no record count in “${text}”`);
  return Number(m[1]);
}

test('registers: the index shows the registers a role may see', async () => {
  const page = await signIn('lionheart.it');
  await open(page, '#/registers', 'Registers');
  await page.getByRole('heading', { level: 2, name: 'Registers you can edit' }).waitFor();
  // The IT manager edits the public registers and only views staff ones;
  // pupils' details are not theirs to see.
  await page.getByRole('link', { name: 'Approved sites' }).waitFor();
  await page.getByRole('link', { name: 'Staff', exact: true }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Pupils', exact: true }).count(), 0);
  await shot(page, 'registers-index');
  await checkA11y(page, 'the register list (IT manager, desktop)');
  noJsErrors(page);
  await page.context().close();
});

test('registers: a roster import with a bad row writes nothing; the fixed file is imported and found by search', async () => {
  // The demo's IT managers have no write_pupils capability (only the school
  // office and headteacher do), so the school office imports the roster.
  const call = await apiAs('lionheart.office');
  const page = await signIn('lionheart.office');
  await open(page, '#/registers/pupils', 'Pupils');
  const before = await recordCount(page);
  const stored = await call('GET', '/api/v1/registers/pupils');
  assert.equal(stored.body.records.length, before, 'the page counts the records the API holds');
  await checkA11y(page, 'the pupils register (desktop)');

  // 1. A file with one bad row: the row and the problem are shown, nothing is written.
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'roster.csv',
    mimeType: 'text/csv',
    buffer: csv(
      'P9001,Zara,Quillfeather,,2012-04-05,ashby-fields,current,,yes,no',
      'P9002,Tom,Quillfeather,,2012-02-30,ashby-fields,current,,no,no',
    ),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Nothing has been imported' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /1 row has a problem\. Nothing has been imported\./);
  assert.match(await alert.textContent(), /imports all 2 rows or none/);
  const problems = page.getByRole('table', { name: 'Problems found in the file' });
  const bad = problems.getByRole('row').filter({ hasText: 'Line 3' });
  await bad.waitFor();
  assert.match(await bad.textContent(), /date_of_birth/);
  assert.match(await bad.textContent(), /'2012-02-30' is not a date/);
  assert.equal(await problems.locator('tbody tr').count(), 1, 'only the bad row is listed');
  await page.getByText('Upload complete').waitFor();
  await shot(page, 'registers-import-errors');
  await checkA11y(page, 'the pupils register with import errors');
  assert.equal(await recordCount(page), before, 'the page still shows the same number of records');
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9001')).status, 404, 'the good row was not written either');
  assert.equal((await call('GET', '/api/v1/registers/pupils')).body.records.length, before);

  // 2. The fixed file: a dry run shows what will change, then the import.
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'roster-fixed.csv',
    mimeType: 'text/csv',
    buffer: csv(
      'P9001,Zara,Quillfeather,,2012-04-05,ashby-fields,current,,yes,no',
      'P9002,Tom,Quillfeather,,2012-02-03,ashby-fields,current,,no,no',
    ),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByText('“roster-fixed.csv” is ready to import').waitFor();
  assert.match(await page.locator('.import-counts').textContent(), /2 new.*0 changed/s);
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9001')).status, 404, 'the dry run wrote nothing');
  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  await page.getByText('Imported “roster-fixed.csv”.').waitFor();
  await page.getByText(`${before + 2} records.`).waitFor();
  assert.equal(await recordCount(page), before + 2);

  // 3. Search finds the new pupils.
  await page.getByRole('searchbox', { name: 'Search records' }).fill('quillfeather');
  await page.getByText(`2 records of ${before + 2} match “quillfeather”.`).waitFor();
  const rows = page.locator('table.records tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).textContent(), /P9001.*Zara.*Quillfeather/);
  await page.getByRole('searchbox', { name: 'Search records' }).fill('no such pupil zzz');
  await page.getByText('No records match “no such pupil zzz”.', { exact: false }).first().waitFor();
  await page.getByRole('searchbox', { name: 'Search records' }).fill('Quillfeather');

  // 4. Edit a record; an error names and marks the field.
  await page.getByRole('button', { name: 'Edit P9002' }).click();
  await page.getByRole('heading', { name: 'Edit record P9002' }).waitFor();
  await page.getByLabel('First name (required)').fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('alert').filter({ hasText: 'First name: is required' }).waitFor();
  assert.equal(await page.getByLabel('First name (required)').getAttribute('aria-invalid'), 'true');
  await shot(page, 'registers-edit-error');
  await checkA11y(page, 'the record form with an error');
  await page.getByLabel('First name (required)').fill('Thomas');
  await page.getByLabel('Preferred name').fill('Tom');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Saved the changes to record P9002.').waitFor();
  assert.match(await page.locator('table.records tbody tr').filter({ hasText: 'P9002' }).textContent(), /Thomas.*Quillfeather.*Tom/);
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9002')).body.fields.first_name, 'Thomas');

  // 5. Delete asks first.
  await page.getByRole('button', { name: 'Edit P9001' }).click();
  await page.getByRole('button', { name: 'Delete this record' }).click();
  await page.getByText('Delete record P9001?').waitFor();
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9001')).status, 200, 'nothing is deleted before confirming');
  await page.getByRole('button', { name: 'Yes, delete P9001' }).click();
  await page.getByText('Deleted record P9001.').waitFor();
  await page.getByText(`1 record of ${before + 1} match “Quillfeather”.`).waitFor();
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9001')).status, 404);

  // 6. Add a record through the form.
  await page.getByRole('button', { name: 'Add a record' }).click();
  await page.getByRole('heading', { name: 'Add a record', level: 2 }).waitFor();
  await page.getByLabel('Id (required)').fill('P9003');
  await page.getByLabel('First name (required)').fill('Ada');
  await page.getByLabel('Last name (required)').fill('Quillfeather');
  await page.getByLabel('School (required)').selectOption({ label: 'Ashby Fields Academy' });
  await page.getByRole('button', { name: 'Add record' }).click();
  await page.getByText('Added record P9003.').waitFor();
  await page.getByText(`2 records of ${before + 2} match “Quillfeather”.`).waitFor();
  assert.equal((await call('GET', '/api/v1/registers/pupils/P9003')).body.school, 'ashby-fields');

  // The export link downloads the register as CSV.
  const href = await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href');
  const exported = await page.request.get(href);
  assert.equal(exported.status(), 200);
  assert.match(await exported.text(), /^id,first_name,last_name/);
  assert.match(await exported.text(), /P9002,Thomas,Quillfeather,Tom/);
  await page.getByRole('searchbox', { name: 'Search records' }).fill('');
  await shot(page, 'registers-pupils');
  await checkA11y(page, 'the pupils register after the import');
  noJsErrors(page);
  await page.context().close();
});

test('registers: a trust-wide reader filters by school', async () => {
  const page = await signIn('lionheart.ceo');
  await open(page, '#/registers/staff', 'Staff');
  const all = await recordCount(page);
  await page.getByLabel('School', { exact: true }).selectOption({ label: 'Ashby Fields Academy' });
  await page.getByText(/records? at Ashby Fields Academy\./).waitFor();
  const one = await recordCount(page);
  assert.ok(one > 0 && one <= all, `${one} of ${all}`);
  assert.match(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href'), /school=ashby-fields/);
  noJsErrors(page);
  await page.context().close();
});

test('registers: list and register pages on a phone', async () => {
  const page = await signIn('lionheart.office', { viewport: 'phone' });
  await open(page, '#/registers', 'Registers');
  await shot(page, 'registers-index-phone');
  await checkA11y(page, 'the register list (phone)');
  await open(page, '#/registers/pupils', 'Pupils');
  await page.locator('.register-count').waitFor();
  await shot(page, 'registers-pupils-phone');
  await checkA11y(page, 'the pupils register (phone)');
  noJsErrors(page);
  await page.context().close();
});

test('policy admin: review dates, acknowledgements and recording a review', async () => {
  const page = await signIn('lionheart.ceo');
  await open(page, '#/policy');
  await page.getByRole('heading', { level: 2, name: 'Record a new version' }).waitFor();
  await page.getByText(/Overdue by \d+ days/).first().waitFor();
  const acks = page.getByRole('table', { name: 'Acknowledgements of version 2.0 by school' });
  await acks.waitFor();
  assert.match(await acks.textContent(), /Ashby Fields Academy/);
  await shot(page, 'policy-admin');
  await checkA11y(page, 'policy administration (desktop)');

  await page.getByLabel('Reviewed by').fill('Trust board');
  await page.getByLabel('Outcome').selectOption('no_change');
  await page.getByLabel('Notes (optional)').fill('Reviewed against the latest DfE guidance.');
  await page.getByRole('button', { name: 'Record the review' }).click();
  await page.getByText('Review recorded for version 2.0.').waitFor();
  await page.getByText('On schedule').first().waitFor();
  const reviews = page.getByRole('table', { name: 'Reviews of version 2.0' });
  assert.match(await reviews.textContent(), /Trust board.*No change/s);
  noJsErrors(page);
  await page.context().close();
});

test('policy admin: a new version must give the notice period', async () => {
  const page = await signIn('mercia.ceo');
  await open(page, '#/policy');
  await page.getByRole('heading', { level: 2, name: 'Record a new version' }).waitFor();
  await page.getByRole('textbox', { name: 'Version', exact: true }).fill('9.0');
  await page.getByLabel('Approved on').fill(today());
  await page.getByLabel('Takes effect on').fill(plusDays(3));
  await page.getByLabel('What changes').fill('Adds a section on messaging apps.');
  await page.getByRole('button', { name: 'Record the new version' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'days\' notice' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /Takes effect on|Effective from/);
  assert.equal(await page.getByLabel('Takes effect on').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Takes effect on').fill(plusDays(31));
  await page.getByRole('button', { name: 'Record the new version' }).click();
  await page.getByText(/Version 9\.0 recorded\./).waitFor();
  const versions = page.getByRole('table', { name: 'Policy versions, newest first' });
  assert.match(await versions.textContent(), /9\.0.*Coming/s);
  noJsErrors(page);
  await page.context().close();

  const phone = await signIn('lionheart.ceo', { viewport: 'phone' });
  await open(phone, '#/policy');
  await phone.getByRole('heading', { level: 2, name: 'Record a new version' }).waitFor();
  await shot(phone, 'policy-admin-phone');
  await checkA11y(phone, 'policy administration (phone)');
  noJsErrors(phone);
  await phone.context().close();
});

test('governors’ report: headline numbers, charts with tables, downloads', async () => {
  // LLMAT: no other scenario opens cases there, so the counts are these three.
  const teacher = await apiAs('llmat.teacher');
  for (const [category, summary] of [
    ['misuse', 'A member of staff posted a photo of pupils on a personal account'],
    ['misuse', 'Staff member accepted a friend request from a pupil'],
    ['content_about_trust', 'A parent posted a complaint about the school on Facebook'],
  ]) {
    const r = await teacher('POST', '/api/v1/cases', { category, summary });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const page = await signIn('llmat.chair');
  await open(page, '#/reports', 'Governors’ report');
  const opened = page.locator('.report-headlines .card').filter({ hasText: 'Concerns reported' });
  await opened.waitFor();
  assert.match(await opened.locator('.stat').textContent(), /^3$/);
  const chart = page.getByRole('img', { name: /Concerns by category/ });
  await chart.waitFor();
  assert.match(await chart.locator('desc').textContent(), /Misuse: 2; Content about trust: 1/);
  const numbers = page.getByRole('table', { name: 'Concerns by category: the numbers in the chart' });
  assert.match(await numbers.getByRole('row').filter({ hasText: 'Misuse' }).textContent(), /Misuse\s*2/);
  const csvHref = await page.getByRole('link', { name: 'Download as CSV' }).getAttribute('href');
  const csvRes = await page.request.get(csvHref);
  assert.equal(csvRes.status(), 200);
  assert.match(await csvRes.text(), /cases,opened,3/);
  const htmlHref = await page.getByRole('link', { name: /Printable version/ }).getAttribute('href');
  const htmlRes = await page.request.get(htmlHref);
  assert.equal(htmlRes.status(), 200);
  assert.match(await htmlRes.text(), /social media policy report/);
  await shot(page, 'reports');
  await checkA11y(page, 'the governors’ report (desktop)');

  // A period with nothing in it says so; a reversed range is refused.
  await page.getByLabel('From').fill('2020-01-01');
  await page.getByLabel('To').fill('2020-01-31');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.getByText('No concerns were reported in this period.').first().waitFor();
  assert.match(await page.locator('.report-headlines .card').filter({ hasText: 'Concerns reported' }).locator('.stat').textContent(), /^0$/);
  await page.getByLabel('From').fill('2020-02-01');
  await page.getByRole('button', { name: 'Show the report' }).click();
  await page.getByRole('alert').filter({ hasText: 'on or before' }).waitFor();
  assert.equal(await page.getByLabel('From').getAttribute('aria-invalid'), 'true');
  noJsErrors(page);
  await page.context().close();

  const phone = await signIn('llmat.chair', { viewport: 'phone' });
  await open(phone, '#/reports', 'Governors’ report');
  await phone.getByRole('img', { name: /Concerns by category/ }).waitFor();
  await shot(phone, 'reports-phone');
  await checkA11y(phone, 'the governors’ report (phone)');
  noJsErrors(phone);
  await phone.context().close();
});
