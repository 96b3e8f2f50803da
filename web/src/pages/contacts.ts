// Record a friend request, follow request or message from a pupil, former
// pupil or parent: Gatehouse says what the policy requires (refuse, do not
// reply, report) and, where a report is required, opens the case for the
// safeguarding route at once.
import { get, post } from '../api';
import { clear, field, h, humanise, notice, pageHeading, select, table, when } from '../dom';
import { checked, onSubmit, showError, value } from '../forms';
import { platforms } from '../options';
import { renderScreening } from '../screening';
import * as S from '../session';

const kinds: Array<[string, string]> = [
  ['message', 'A message'],
  ['friend_request', 'A friend request'],
  ['follow_request', 'A follow request'],
];
const roles: Array<[string, string]> = [
  ['pupil', 'A pupil at the school now'],
  ['former_pupil', 'A former pupil'],
  ['parent', 'A parent or carer'],
  ['other', 'Someone else connected to the school'],
];

export async function render(root: HTMLElement): Promise<void> {
  const s = S.session();
  const route = (s.trust.routes['safeguarding_report'] ?? ['dsl']).map((r) => S.roleTitle(r)).join(' or ');
  pageHeading(root, 'Record a contact', `Had a friend request, follow request or message from a pupil, former pupil or parent? Record it here. Gatehouse tells you what the policy requires and, where it must be reported, tells ${route} for you.`);
  const errors = h('div', { id: 'contact-errors' });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Record it');
  const report = h('input', { type: 'checkbox', name: 'report', id: 'contact-report' });
  const form = h(
    'form',
    { novalidate: true },
    h('div', { class: 'row' }, field('What happened', select('kind', kinds, 'message')), field('Where', select('platform', platforms, 'facebook'))),
    h('div', { class: 'row' },
      field('Their name', h('input', { name: 'name', autocomplete: 'off' }), 'As it appears on their account.'),
      field('They are', select('role', roles, 'pupil'))),
    h('div', { class: 'row' },
      field('Their date of birth, if you know it', h('input', { type: 'date', name: 'date_of_birth' }), 'The policy’s age limits for former pupils depend on it.'),
      field('Pupil ID, if you know it', h('input', { name: 'pupil_id', autocomplete: 'off' }))),
    field('What they wrote (for messages)', h('textarea', { name: 'text', rows: 4 }), 'Copy it exactly. Do not reply to it.'),
    field('When it arrived', h('input', { type: 'datetime-local', name: 'at' })),
    h('div', { class: 'choice' }, report, h('label', { for: 'contact-report' }, `Report it to ${route} even if the policy does not require it`)),
    h('div', { class: 'actions' }, submit),
  );
  onSubmit(form, submit, errors, async () => {
    const at = value(form, 'at');
    const c = await post('/api/v1/contacts', {
      kind: value(form, 'kind'),
      platform: value(form, 'platform'),
      text: value(form, 'text'),
      at: at ? new Date(at).toISOString() : undefined,
      report: checked(form, 'report'),
      counterpart: {
        name: value(form, 'name'),
        role: value(form, 'role'),
        date_of_birth: value(form, 'date_of_birth') || undefined,
        pupil_id: value(form, 'pupil_id') || undefined,
      },
    });
    clear(result, await outcome(c));
    form.reset();
    historyBox.replaceWith((historyBox = await history()));
    result.querySelector<HTMLElement>('h2')?.focus();
  });
  let historyBox = await history();
  root.append(errors, form, result, historyBox);
}

async function outcome(c: any): Promise<HTMLElement> {
  const required: string[] = c.required ?? [];
  const box = h('section', { 'aria-labelledby': 'contact-outcome' }, h('h2', { id: 'contact-outcome', tabindex: '-1' }, 'What the policy requires'));
  const kind = required.includes('report') ? 'warn' : required.length ? 'error' : 'ok';
  box.append(
    notice(
      kind,
      h('p', { class: 'verdict' }, required.length ? required.map((r) => humanise(r.replace(/_/g, ' '))).join(' and ') : 'Nothing is required'),
      h('p', null, c.advice),
      c.case
        ? h('p', null, `A ${c.case.category} case (${c.case.id}) has been opened for ${c.case.routed_to.map((r: string) => S.roleTitle(r)).join(' or ')}. You can follow it under `, h('a', { href: '#/mine' }, 'My items'), '.')
        : null,
    ),
  );
  if (c.findings?.length) box.append(await renderScreening({ verdict: 'review', findings: c.findings }, '', { heading: 'Why' }));
  return box;
}

async function history(): Promise<HTMLElement> {
  const box = h('section', { 'aria-labelledby': 'contact-history' }, h('h2', { id: 'contact-history' }, 'Contacts you recorded'));
  try {
    const r = await get('/api/v1/contacts');
    const list: any[] = r.contacts ?? [];
    if (!list.length) box.append(h('p', { class: 'meta' }, 'None yet.'));
    else
      box.append(
        table(
          ['When', 'What', 'From', 'Required', 'Case'],
          list.reverse().map((c) => [
            when(c.at),
            humanise(c.kind) + (c.platform ? ` on ${c.platform}` : ''),
            `${c.counterpart?.name ?? ''} (${humanise(c.counterpart?.role ?? '')})`,
            (c.required ?? []).map((x: string) => humanise(x)).join(', ') || 'Nothing',
            c.case ? h('a', { href: `#/cases/${encodeURIComponent(c.case.id)}` }, c.case.id) : '—',
          ]),
        ),
      );
  } catch (err) {
    showError(box, err);
  }
  return box;
}
