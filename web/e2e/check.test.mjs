import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, open, shot, signIn } from './harness.mjs';

test('sign in works', async () => {
  const page = await signIn('lionheart.teacher');
  await open(page, '#/check', 'check');
  await shot(page, 'smoke');
  await checkA11y(page, 'smoke');
  assert.ok(true);
});
