// The official-post protocol at Mercia: the office drafts a post with a
// pupil's photo; the approver (SLT) is shown the missing consent and cannot
// approve; the office records the consent; the approver approves ("go live")
// and the office, the designated publisher, publishes.
import assert from 'node:assert/strict';
import { nav, checkA11y, eventually, scenario, noJsErrors, open, shot, signIn } from './harness.mjs';

// A small picture drawn in the browser, as a PNG file the form can pick.
async function photo(page) {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = 200;
    const g = c.getContext('2d');
    g.fillStyle = '#7cb342';
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#1e88e5';
    g.fillRect(0, 0, 320, 90);
    g.fillStyle = '#fdd835';
    g.beginPath();
    g.arc(250, 45, 25, 0, 7);
    g.fill();
    return c.toDataURL('image/png');
  });
  return { name: 'sports-day.png', mimeType: 'image/png', buffer: Buffer.from(dataUrl.split(',')[1], 'base64') };
}

scenario('office drafts with a pupil photo; approver sees the missing consent; consent recorded; approved and published', async () => {
  const office = await signIn('mercia.office');
  await nav(office, 'Official posts');
  await office.getByRole('heading', { level: 1, name: 'Official posts' }).waitFor();
  await office.getByRole('link', { name: 'Draft an official post' }).click();
  await office.getByRole('heading', { level: 1, name: 'Draft an official post' }).waitFor();
  await office.getByLabel('Account').selectOption('saxon-hill-facebook');
  await office.getByLabel('The post').fill('What a brilliant sports day! Well done to everyone who took part.');
  await office.getByLabel('Photos (optional)').setInputFiles(await photo(office));
  await office.getByLabel('Describe the photo (alt text)').fill('Children racing on the school field');
  await office.getByLabel('Taken on').selectOption('saxon-hill-camera-1');
  await office.getByLabel('Find a pupil').fill('Metcalfe');
  await office.getByLabel('Isaac Metcalfe (P0003)').check();
  await office.getByLabel(/Nothing identifies a child/).check();
  await office.getByLabel(/positive and relevant/).check();
  await checkA11y(office, 'the official post draft form');
  await shot(office, 'post-draft-form');
  await office.getByRole('button', { name: 'Save draft and check' }).click();
  await office.getByRole('heading', { level: 1, name: 'Official post', exact: true }).waitFor();
  const postUrl = office.url();
  // The picture went with the draft and is shown back from the server.
  const img = office.locator('#post-content ~ .images img');
  await img.waitFor();
  // The <img> is in the page at once; the picture itself loads after.
  await eventually(async () => assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth === 320), 'the stored photo is shown'), 'the stored photo');
  await office.getByRole('button', { name: 'Submit for approval' }).click();
  await office.getByText('Submitted', { exact: true }).first().waitFor();

  // The approver: the post is in the queue, the consent is missing, approval is not possible.
  const slt = await signIn('mercia.slt');
  await open(slt, '#/posts', 'Official posts');
  const queue = slt.locator('section', { has: slt.getByRole('heading', { name: /Waiting for your “go live”/ }) });
  await queue.getByRole('link', { name: /What a brilliant sports day/ }).click();
  await slt.getByRole('heading', { level: 1, name: 'Official post', exact: true }).waitFor();
  const consent = slt.locator('li[data-item=consent]');
  assert.match(await consent.innerText(), /Isaac Metcalfe: social media consent not granted or withdrawn/);
  assert.ok(await slt.getByRole('button', { name: 'Approve: go live' }).isDisabled(), 'approve is disabled while consent is missing');
  await checkA11y(slt, 'the approver’s view of a post with a missing consent');
  await shot(slt, 'post-approver-missing-consent');

  // The office records the consent from the checklist.
  await office.goto(postUrl);
  await office.getByRole('heading', { name: 'Record a consent' }).waitFor();
  await office.getByLabel('Pupil', { exact: true }).selectOption('P0003');
  await office.getByLabel('Consent for').selectOption('social_media');
  await office.getByLabel('Where the signed form is kept').fill('Consent form 2026, office file');
  await office.getByRole('button', { name: 'Record consent as granted' }).click();
  await office.locator('li[data-item=consent] .badge', { hasText: 'Ok' }).waitFor();

  // The approver approves.
  await slt.reload();
  await slt.getByRole('heading', { level: 1, name: 'Official post', exact: true }).waitFor();
  assert.match(await slt.locator('li[data-item=consent]').innerText(), /Ok/);
  await slt.getByRole('button', { name: 'Approve: go live' }).click();
  await slt.getByText(/Approved by/).waitFor();
  noJsErrors(slt);

  // The publisher's queue has it; publishing needs the "policy followed" confirmation.
  await open(office, '#/posts', 'Official posts');
  const ready = office.locator('section', { has: office.getByRole('heading', { name: /ready for you to publish/ }) });
  await ready.getByRole('link', { name: /What a brilliant sports day/ }).click();
  await office.getByRole('button', { name: 'Mark as published' }).click();
  await office.getByLabel('Link to the live post').fill('https://www.facebook.com/saxonhill/posts/1');
  await office.getByRole('button', { name: 'Mark as published' }).last().click();
  await office.getByRole('alert').waitFor();
  assert.match(await office.getByRole('alert').innerText(), /policy/i, 'publishing without the confirmation is refused with a reason');
  await office.getByLabel(/I followed the policy/).check();
  await office.getByRole('button', { name: 'Mark as published' }).last().click();
  await office.getByText(/Published .* at/).waitFor();
  assert.match(await office.locator('.meta .badge').first().innerText(), /Published/);
  await checkA11y(office, 'a published post');
  await shot(office, 'post-published');
  noJsErrors(office);
});

scenario('LLMAT has no official-post procedure and says so', async () => {
  const page = await signIn('llmat.office');
  assert.equal(await page.getByRole('link', { name: 'Official posts' }).count(), 0);
  await open(page, '#/posts/new', 'Official posts');
  assert.match(await page.locator('main').innerText(), /official post/i);
});
