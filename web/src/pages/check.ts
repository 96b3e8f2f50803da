// "Check before I post": any member of staff pastes a post (and may pick a
// picture), chooses personal or official and the platform, and sees what the
// policy says about it, clause by clause, with what to do next.
import { post, request } from '../api';
import { clear, field, h, notice, pageHeading, select } from '../dom';
import { busy, showError, showOk, value } from '../forms';
import { base64Of, platforms } from '../options';
import { go } from '../router';
import { renderScreening, type Screening } from '../screening';
import * as S from '../session';

export function render(root: HTMLElement): void {
  pageHeading(root, 'Check a post', 'Paste what you want to post, comment or send. Gatehouse checks it against your trust’s policy before anyone else sees it. Nothing you check here is kept.');
  const s = S.session();
  const errors = h('div', { id: 'check-errors' });
  const result = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const text = h('textarea', { name: 'text', rows: 6, required: true });
  const picture = h('input', { type: 'file', name: 'picture', accept: 'image/*' });
  const preview = h('div', { class: 'images' });
  picture.addEventListener('change', () => {
    clear(preview);
    const f = picture.files?.[0];
    if (!f) return;
    // A copy without the location, camera and time a phone writes into
    // every photo, made by the server (the same as official posts get).
    const strip = h('button', { type: 'button' }, 'Save a copy without its location');
    strip.addEventListener('click', () =>
      busy(strip, async () => {
        try {
          const res = await request('POST', '/api/v1/images/strip', await f.arrayBuffer(), f.type || 'application/octet-stream');
          const a = h('a', { href: URL.createObjectURL(await res.blob()), download: `clean-${f.name}` });
          document.body.append(a);
          a.click();
          a.remove();
        } catch (err) {
          showError(errors, err);
        }
      }),
    );
    preview.append(h('figure', null, h('img', { src: URL.createObjectURL(f), alt: 'The picture you picked' }), h('figcaption', null, f.name)), strip);
  });
  const channel = h(
    'fieldset',
    null,
    h('legend', null, 'Whose account'),
    radio('channel', 'personal', 'My own (personal) account', true),
    radio('channel', 'official', 'A school or trust (official) account', false),
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Check');
  const form = h(
    'form',
    { novalidate: true, 'aria-describedby': 'check-errors' },
    field('What you want to post', text, 'The words exactly as they would appear.'),
    channel,
    h(
      'div',
      { class: 'row' },
      field('Where', select('platform', platforms, 'facebook')),
      field('What it is', select('kind', [['post', 'A post'], ['comment', 'A comment or reply'], ['message', 'A private message'], ['profile', 'My profile or bio']], 'post')),
    ),
    field('A picture (optional)', picture, 'Gatehouse reads the words in it and looks for faces, its location and logos; it is checked, not kept.'),
    preview,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    const body = text.value;
    if (!body.trim() && !picture.files?.length) {
      showError(errors, new Error('Type or paste the words you want to post, or pick a picture.'), form);
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    text.removeAttribute('aria-invalid');
    await busy(submit, async () => {
      try {
        const event: Record<string, unknown> = {
          kind: value(form, 'kind'),
          channel: chosen(form, 'channel'),
          platform: value(form, 'platform'),
          author: s.user.staff_id || undefined,
          at: new Date().toISOString(),
          text: body,
        };
        const file = picture.files?.[0];
        // The picture itself goes to the server, which reads the words in it,
        // counts faces, reads its metadata and looks for the trust's logos.
        if (file) event.media = [{ path: file.name, content_base64: base64Of(await file.arrayBuffer()) }];
        const r = await post<Screening>(`/api/v1/check?trust=${encodeURIComponent(s.trust.id)}`, event);
        clear(result, await renderScreening(r, body), afterwards(r, body, chosen(form, 'channel'), value(form, 'platform')));
        result.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
        result.querySelector<HTMLElement>('h2')?.focus();
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  root.append(errors, form, result);
}

function radio(name: string, v: string, label: string, on: boolean): HTMLElement {
  const id = `${name}-${v}`;
  return h('div', { class: 'choice' }, h('input', { type: 'radio', name, value: v, id, checked: on }), h('label', { for: id }, label));
}
function chosen(form: HTMLElement, name: string): string {
  return form.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? '';
}

// What the person can do next: ask before posting (the pack's advice route),
// or draft it as an official post.
function afterwards(r: Screening, draft: string, channel: string, platform: string): HTMLElement {
  const s = S.session();
  const box = h('section', { class: 'card', 'aria-labelledby': 'next-title' }, h('h2', { id: 'next-title' }, r.verdict === 'allow' ? 'Still not sure?' : 'Ask before you post'));
  const route = (s.trust.routes['pre_post_advice'] ?? []).map((x) => S.roleTitle(x)).join(' or ') || 'your Headteacher';
  const status = h('div');
  const question = h('textarea', { name: 'question', rows: 3 });
  const ask = h('button', { type: 'submit' }, `Ask ${route}`);
  const form = h('form', { novalidate: true }, field('Your question', question, `Sent with your draft to ${route}. Their answer appears under My items.`), h('div', { class: 'actions' }, ask));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy(ask, async () => {
      try {
        const a = await post('/api/v1/advice', { question: question.value.trim() || 'Is this all right to post?', draft_text: draft, channel, platform });
        const to = (a.route ?? []).map((x: string) => S.roleTitle(x)).join(' or ');
        showOk(status, `Sent${to ? ` to ${to}` : ''}. `, h('a', { href: '#/mine' }, 'See it in My items'), '.');
        form.remove();
      } catch (err) {
        showError(status, err, form);
      }
    });
  });
  box.append(status, form);
  if (channel === 'official' && s.trust.official_posts.available) {
    box.append(
      h('p', null, 'Official posts need consent checks and approval before they go live. '),
      h('button', { type: 'button', class: 'primary', onclick: () => { sessionStorage.setItem('gh-draft', draft); go('#/posts/new'); } }, 'Draft it as an official post'),
    );
  } else if (channel === 'official') {
    box.append(notice('info', s.trust.official_posts.why_not));
  }
  return box;
}
