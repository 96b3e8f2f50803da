// Report a concern: anything a member of staff has seen that may break the
// policy or put a child at risk. The pack routes it (the DSL for
// safeguarding, the Headteacher for misuse, ...) and the reporter can follow
// its outcome under My items.
import { get, post } from '../api';
import { field, h, humanise, pageHeading, select } from '../dom';
import { onSubmit, showOk, value } from '../forms';
import * as S from '../session';

const describe: Record<string, string> = {
  safeguarding: 'A child may be at risk (for example contact, grooming, images of a pupil)',
  misuse: 'A member of staff may have broken the policy',
  self_report: 'I may have broken the policy myself and want to put it right',
  content_about_trust: 'Something posted about the school, the trust, its staff or pupils',
  harassment_of_staff: 'A member of staff is being harassed or abused online',
  media_enquiry: 'A journalist or the media has been in touch',
};

export async function render(root: HTMLElement): Promise<void> {
  const s = S.session();
  pageHeading(root, 'Report a concern', 'Tell the right person about something you have seen online. If a child is in immediate danger, call 999 first.');
  const meta = await get('/api/v1/cases/meta');
  const categories: string[] = [...(meta.categories ?? [])].sort((a: string, b: string) => Number(b === 'safeguarding') - Number(a === 'safeguarding'));
  const routeNote = h('p', { class: 'hint', id: 'route-note', 'aria-live': 'polite' });
  const category = select('category', categories.map((c) => [c, describe[c] ? `${humanise(c)}: ${describe[c]}` : humanise(c)]), categories[0]);
  const showRoute = () => {
    const roles: string[] = meta.routes?.[category.value] ?? [];
    routeNote.textContent = roles.length ? `This goes to: ${roles.map((r) => S.roleTitle(r)).join(' or ')}.` : '';
  };
  category.addEventListener('change', showRoute);
  showRoute();
  const errors = h('div', { id: 'concern-errors' });
  const done = h('div');
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Send report');
  const schools = s.trust.schools;
  const form = h(
    'form',
    { novalidate: true },
    field('What kind of concern', category),
    routeNote,
    field('In a sentence', h('input', { name: 'summary', maxlength: 300 }), 'For example: “A former pupil keeps messaging a teacher on Instagram”.'),
    field('What you saw', h('textarea', { name: 'details', rows: 6 }), 'Who, what, where and when. Do not copy or share images of pupils.'),
    field('Link to it (optional)', h('input', { type: 'url', name: 'source_url', inputmode: 'url' })),
    field('Staff ID of the member of staff it is about (optional)', h('input', { name: 'subject_staff_id', autocomplete: 'off' }), 'Reports about a Headteacher go to the person above them.'),
    schools.length > 1 ? field('School', select('school', [['', 'My own school'], ...schools.map((x) => [x.id, x.name] as [string, string])], '')) : null,
    h('div', { class: 'actions' }, submit),
  );
  onSubmit(form, submit, errors, async () => {
    const c = await post('/api/v1/cases', {
      category: value(form, 'category'),
      summary: value(form, 'summary'),
      details: value(form, 'details'),
      source_url: value(form, 'source_url') || undefined,
      subject_staff_id: value(form, 'subject_staff_id') || undefined,
      school: value(form, 'school') || undefined,
    });
    const to: string[] = c.route_roles ?? c.routed_to ?? [];
    showOk(done, `Thank you. Your report ${c.id} has gone to ${to.map((r) => S.roleTitle(r)).join(' or ') || 'the right person'}. `, h('a', { href: '#/mine' }, 'Follow it under My items'), '.');
    form.reset();
    showRoute();
    done.querySelector<HTMLElement>('[role=status]')?.setAttribute('tabindex', '-1');
    done.querySelector<HTMLElement>('[role=status]')?.focus();
  });
  root.append(errors, done, form);
}
