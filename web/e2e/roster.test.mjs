// The IT manager keeps the staff roster in step with the school's MIS: an
// export with one bad row is refused whole, naming the row and the column;
// the fixed file goes in. The IT manager never sees pupils.
import assert from 'node:assert/strict';
import { apiAs, checkA11y, nav, open, scenario, shot, signIn } from './harness.mjs';

const header = 'id,first_name,last_name,email,role,school,spokesperson';
const file = (name, ...rows) => ({ name, mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n') + '\n') });

scenario('an IT manager imports a staff roster with one bad row and sees which', async () => {
  const it = await signIn('lionheart.it');
  const api = await apiAs('lionheart.it');
  await nav(it, 'Registers');
  assert.equal(await it.getByRole('link', { name: /^Pupils/ }).count(), 0, 'no pupil register for IT');
  await open(it, '#/registers/staff', 'Staff');
  const before = (await api('GET', '/api/v1/registers/staff')).body.records.length;

  await it.getByLabel('CSV file', { exact: true }).setInputFiles(
    file('mis-export.csv',
      'S901,Amira,Okafor,amira.okafor@ashbyfields.lionheartacademies.org.uk,teacher,ashby-fields,no',
      'S902,Lewis,Brandt,lewis.brandt@ashbyfields.lionheartacademies.org.uk,caretaker-in-chief,ashby-fields,no',
      'S903,Mei,Tanaka,mei.tanaka@ashbyfields.lionheartacademies.org.uk,teaching_assistant,ashby-fields,no'),
  );
  await it.getByRole('button', { name: 'Check the file' }).click();
  const problems = it.getByRole('table', { name: 'Problems found in the file' });
  await problems.waitFor();
  const rows = problems.locator('tbody tr');
  assert.equal(await rows.count(), 1, 'exactly one row is reported');
  const bad = await rows.first().innerText();
  assert.match(bad, /Line 3/);
  assert.match(bad, /role/);
  assert.match(bad, /caretaker-in-chief/);
  assert.match(await it.getByRole('alert').filter({ hasText: 'Nothing has been imported' }).innerText(), /1 row has a problem/);
  assert.equal((await api('GET', '/api/v1/registers/staff')).body.records.length, before, 'nothing was written');
  await checkA11y(it, 'the staff register with import errors');
  await shot(it, 'roster-import-bad-row');

  await it.getByLabel('CSV file', { exact: true }).setInputFiles(
    file('mis-export-fixed.csv',
      'S901,Amira,Okafor,amira.okafor@ashbyfields.lionheartacademies.org.uk,teacher,ashby-fields,no',
      'S902,Lewis,Brandt,lewis.brandt@ashbyfields.lionheartacademies.org.uk,teaching_assistant,ashby-fields,no',
      'S903,Mei,Tanaka,mei.tanaka@ashbyfields.lionheartacademies.org.uk,teaching_assistant,ashby-fields,no'),
  );
  await it.getByRole('button', { name: 'Check the file' }).click();
  await it.getByRole('button', { name: 'Import 3 rows' }).click();
  await it.getByText('Imported “mis-export-fixed.csv”.').waitFor();
  assert.equal((await api('GET', '/api/v1/registers/staff')).body.records.length, before + 3);
  assert.equal((await api('GET', '/api/v1/registers/staff/S902')).body.fields.role, 'teaching_assistant');
  assert.equal((await api('GET', '/api/v1/registers/pupils')).status, 403, 'IT reads no pupils');
  await shot(it, 'roster-imported');
});
