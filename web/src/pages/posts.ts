// The official-post protocol: draft (text, photos, the pupils shown), the
// live checklist (consents, identifying information, devices, screening),
// the approver's "go live", and the designated publisher's queue.
import { get, post, put } from '../api';
import { badge, clear, field, h, humanise, notice, pageHeading, select, table, when } from '../dom';
import { busy, showError, showOk } from '../forms';
import { base64Of, shrinkImage } from '../options';
import { records, type RecordRow } from '../registers_client';
import { go, query, reload } from '../router';
import { renderScreening } from '../screening';
import * as S from '../session';
import { statusKind } from './mine';

const path = (id: string) => `/api/v1/posts/${encodeURIComponent(id)}`;

function unavailable(root: HTMLElement): boolean {
  const t = S.session().trust;
  if (t.official_posts.available) return false;
  pageHeading(root, 'Official posts');
  root.append(notice('info', t.official_posts.why_not));
  return true;
}

function postList(list: any[], emptyText: string): HTMLElement {
  if (!list.length) return h('p', { class: 'meta' }, emptyText);
  return table(
    ['Post', 'Account', 'Status', 'By', 'Updated'],
    list.map((p) => [
      h('a', { href: `#/posts/${encodeURIComponent(p.id)}` }, excerpt(p.content?.text)),
      p.account?.name || p.account?.id || '',
      badge(humanise(p.status), statusKind(p.status)),
      p.author_name || p.author,
      when(p.updated_at || p.created_at),
    ]),
  );
}
function excerpt(t: string | undefined): string {
  const s = (t ?? '').trim();
  return s.length > 70 ? s.slice(0, 67) + '…' : s || '(no text)';
}

// #/posts: the queues that concern me.
export async function renderQueues(root: HTMLElement): Promise<void> {
  if (unavailable(root)) return;
  pageHeading(root, 'Official posts', 'Posts for the school’s and trust’s official accounts. Each one is checked, approved by the trust’s approver, then posted by the designated publisher.');
  root.append(h('p', null, h('a', { href: '#/posts/new', class: 'button primary' }, 'Draft an official post')));
  const [approve, publish, mine, all] = await Promise.all(
    ['approve', 'publish', 'mine', 'all'].map((q) => get(`/api/v1/posts?queue=${q}`).then((r) => r.posts ?? [])),
  );
  const expired = all.filter((p: any) => p.status === 'expired');
  const removal = all.filter((p: any) => p.status === 'removal_required');
  const sec = (id: string, title: string, list: any[], emptyText: string, hint?: string) =>
    h('section', { 'aria-labelledby': id }, h('h2', { id }, title, ' ', badge(String(list.length), list.length ? 'warn' : '')), hint ? h('p', { class: 'hint' }, hint) : null, postList(list, emptyText));
  if (removal.length) root.append(sec('q-removal', 'Must come down', removal, '', 'A pupil’s consent was withdrawn after these went live. Remove them, then confirm.'));
  if (approve.length) root.append(sec('q-approve', 'Waiting for your “go live”', approve, ''));
  if (publish.length) root.append(sec('q-publish', 'Approved: ready for you to publish', publish, '', 'Approvals lapse at the scheduled time or after 7 days.'));
  if (!approve.length && !publish.length) root.append(h('p', { class: 'notice notice-info', role: 'status' }, 'Nothing is waiting for you to approve or publish.'));
  root.append(
    sec('q-mine', 'Your drafts and posts', mine, 'You have no official posts.'),
    sec('q-expired', 'Expired approvals', expired, 'No approvals have expired.', 'These were approved but not posted in time. The author can submit them again.'),
  );
  if (all.length > approve.length + publish.length + mine.length) {
    root.append(h('details', null, h('summary', null, `Every post you can see (${all.length})`), postList(all, '')));
  }
}

// #/posts/new: draft one.
export async function renderNew(root: HTMLElement): Promise<void> {
  if (unavailable(root)) return;
  pageHeading(root, 'Draft an official post', 'Write the post, add photos and the pupils in them. Gatehouse checks consents and identifying details before it goes to the approver.');
  const draft = sessionStorage.getItem('gh-draft') ?? '';
  sessionStorage.removeItem('gh-draft');
  const form = await postForm(null, draft);
  root.append(form);
}

interface PendingImage {
  name: string;
  sha256?: string;
  content_base64?: string;
  alt: string;
  device_id: string;
  preview: string;
}

// The draft form, for a new post (p = null) or an edit of p.
async function postForm(p: any | null, draftText = ''): Promise<HTMLElement> {
  const s = S.session();
  const errors = h('div', { id: 'post-errors' });
  const accounts = (await records('accounts').catch(() => [] as RecordRow[])).filter((a) => !['closed', 'suspended'].includes(a.fields.status));
  const devices = await records('devices').catch(() => [] as RecordRow[]);
  const pupils = S.can('read_pupils') ? await records('pupils').catch(() => [] as RecordRow[]) : [];
  const account = select('account_id', accounts.map((a) => [a.id, `${humanise(a.fields.platform || '')}: ${a.id}${a.school ? ` (${S.schoolName(a.school)})` : ''}`]), p?.account?.id);
  if (p) account.disabled = true;
  const text = h('textarea', { name: 'text', rows: 6, value: p?.content?.text ?? draftText });
  const images: PendingImage[] = (p?.content?.images ?? []).map((i: any) => ({ name: i.name, sha256: i.sha256, alt: i.alt, device_id: i.device_id, preview: `${path(p.id)}/images/${i.sha256}` }));
  const imageList = h('div');
  const file = h('input', { type: 'file', name: 'images', accept: 'image/jpeg,image/png,image/gif,image/webp', multiple: true });
  const deviceOptions: Array<[string, string]> = [['', 'Not known'], ...devices.filter((d) => d.fields.status !== 'withdrawn').map((d) => [d.id, `${d.fields.description || d.id}${d.school ? ` (${S.schoolName(d.school)})` : ''}`] as [string, string])];
  const drawImages = () => {
    clear(imageList);
    images.forEach((img, i) => {
      const alt = h('input', { name: `alt-${i}`, value: img.alt });
      alt.addEventListener('input', () => (img.alt = alt.value));
      const dev = select(`device-${i}`, deviceOptions, img.device_id);
      dev.addEventListener('change', () => (img.device_id = dev.value));
      imageList.append(
        h('div', { class: 'card row' },
          h('figure', { class: 'images' }, h('img', { src: img.preview, alt: img.alt || `Photo ${i + 1}`, width: 160 })),
          h('div', { class: 'grow' },
            h('p', null, h('strong', null, img.name)),
            field('Describe the photo (alt text)', alt, 'For people who cannot see it. Do not name pupils.'),
            devices.length ? field('Taken on', dev) : null,
            h('button', { type: 'button', class: 'danger', onclick: () => { images.splice(i, 1); drawImages(); } }, `Remove ${img.name}`))),
      );
    });
  };
  file.addEventListener('change', async () => {
    for (const f of Array.from(file.files ?? [])) {
      try {
        const bytes = await shrinkImage(f);
        images.push({ name: f.name, content_base64: base64Of(bytes), alt: '', device_id: '', preview: URL.createObjectURL(new Blob([bytes])) });
      } catch (err) {
        showError(errors, err);
      }
    }
    file.value = '';
    drawImages();
  });
  drawImages();

  // Pupils shown or named: a filterable list of checkboxes for those who may
  // read the pupil register, else their IDs.
  const chosen = new Set<string>(p?.content?.pupils ?? []);
  let pupilPicker: HTMLElement;
  if (pupils.length) {
    const filter = h('input', { type: 'search', name: 'pupil_filter', autocomplete: 'off' });
    const list = h('div', { class: 'pupil-list', role: 'group', 'aria-label': 'Pupils' });
    const draw = () => {
      const q = filter.value.trim().toLowerCase();
      const school = accounts.find((a) => a.id === account.value)?.school ?? '';
      clear(list);
      let shown = 0;
      for (const pu of pupils) {
        const name = `${pu.fields.preferred_name || pu.fields.first_name} ${pu.fields.last_name}`;
        if (pu.fields.status === 'former') continue;
        if (school && pu.school && pu.school !== school && !chosen.has(pu.id)) continue;
        if (q && !name.toLowerCase().includes(q) && !pu.id.toLowerCase().includes(q) && !chosen.has(pu.id)) continue;
        if (shown >= 30 && !chosen.has(pu.id)) continue;
        shown += 1;
        const id = `pupil-${pu.id}`;
        const cb = h('input', { type: 'checkbox', id, value: pu.id, checked: chosen.has(pu.id) });
        cb.addEventListener('change', () => (cb.checked ? chosen.add(pu.id) : chosen.delete(pu.id)));
        list.append(h('div', { class: 'choice' }, cb, h('label', { for: id }, `${name} (${pu.id})`)));
      }
      if (!shown) list.append(h('p', { class: 'meta' }, 'No pupils match.'));
    };
    filter.addEventListener('input', draw);
    account.addEventListener('change', draw);
    draw();
    pupilPicker = h('fieldset', null, h('legend', null, 'Pupils shown or named'), field('Find a pupil', filter, 'Tick everyone who can be seen or is named. Their consents are checked.'), list);
  } else {
    const ids = h('input', { name: 'pupils', value: [...chosen].join(', ') });
    ids.addEventListener('input', () => {
      chosen.clear();
      ids.value.split(/[\s,]+/).filter(Boolean).forEach((x) => chosen.add(x));
    });
    pupilPicker = field('Pupils shown or named (pupil IDs)', ids, 'Separate them with commas. The office can look them up.');
  }
  const sched = h('input', { type: 'datetime-local', name: 'scheduled_for', value: p?.scheduled_for ? toLocalInput(p.scheduled_for) : '' });
  const noid = h('input', { type: 'checkbox', id: 'confirm-noid', name: 'no_identifying_information', checked: p?.confirms?.no_identifying_information });
  const pos = h('input', { type: 'checkbox', id: 'confirm-pos', name: 'positive_and_relevant', checked: p?.confirms?.positive_and_relevant });
  const submit = h('button', { type: 'submit', class: 'primary' }, p ? 'Save changes' : 'Save draft and check');
  const form = h(
    'form',
    { novalidate: true },
    errors,
    accounts.length ? field('Account', account) : notice('warn', 'No official accounts are registered for you. The IT manager records them under Registers.'),
    field('The post', text),
    field('Photos (optional)', file, 'JPEG, PNG, GIF or WebP. Large photos are made smaller before they are sent.'),
    imageList,
    pupilPicker,
    field('When it should go out (optional)', sched, 'An approval lasts until then, or 7 days if there is no time.'),
    h('fieldset', null, h('legend', null, 'You confirm'),
      h('div', { class: 'choice' }, noid, h('label', { for: 'confirm-noid' }, 'Nothing identifies a child: no full names with photos, no uniforms with names, no locations or routines')),
      h('div', { class: 'choice' }, pos, h('label', { for: 'confirm-pos' }, 'It is positive and relevant to the school'))),
    h('div', { class: 'actions' }, submit, p ? h('a', { href: `#/posts/${encodeURIComponent(p.id)}` }, 'Cancel') : null),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(errors);
    await busy(submit, async () => {
      try {
        const body: Record<string, unknown> = {
          text: text.value,
          images: images.map((i) => (i.content_base64 ? { name: i.name, content_base64: i.content_base64, alt: i.alt, device_id: i.device_id } : { name: i.name, sha256: i.sha256, alt: i.alt, device_id: i.device_id })),
          pupils: [...chosen],
          scheduled_for: sched.value ? new Date(sched.value).toISOString() : '',
          confirms: { no_identifying_information: noid.checked, positive_and_relevant: pos.checked },
        };
        if (p) {
          body.version = p.version;
          await put(path(p.id), body);
          go(`#/posts/${encodeURIComponent(p.id)}`);
        } else {
          body.account_id = account.value;
          const made = await post('/api/v1/posts', body);
          go(`#/posts/${encodeURIComponent(made.id)}`);
        }
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
  void s;
  return form;
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const markFor: Record<string, string> = { ok: '✓', problem: '✗', confirm: '!' };
const itemWords: Record<string, string> = { ok: 'Ok', problem: 'Problem', confirm: 'To confirm' };

// #/posts/<id>: one post, its checklist and what I may do with it.
export async function renderPost(root: HTMLElement, [id]: string[]): Promise<void> {
  if (unavailable(root)) return;
  const p = await get(path(id));
  if (query().get('edit') === '1' && (p.can ?? []).includes('edit')) {
    pageHeading(root, 'Edit official post', 'Changing anything voids an approval; the post goes back to draft.');
    root.append(await postForm(p));
    return;
  }
  pageHeading(root, 'Official post');
  const status = h('div', { id: 'post-status' });
  root.append(
    h('p', { class: 'meta' }, badge(humanise(p.status), statusKind(p.status)), ` ${p.account?.name || p.account?.id} · ${humanise(p.account?.platform ?? '')} · by ${p.author_name || p.author} · drafted ${when(p.created_at)}`, p.scheduled_for ? ` · to go out ${when(p.scheduled_for)}` : ''),
    status,
    h('section', { class: 'card', 'aria-labelledby': 'post-content' }, h('h2', { id: 'post-content' }, 'The post'), h('div', { class: 'highlighted' }, p.content?.text ?? ''),
      p.content?.images?.length
        ? h('div', { class: 'images' }, p.content.images.map((img: any) => h('figure', null, h('img', { src: `${path(p.id)}/images/${img.sha256}`, alt: img.alt || img.name }), h('figcaption', null, img.name, img.device_id ? ` · ${img.device_id}` : ''))))
        : null,
      p.content?.pupils?.length ? h('p', { class: 'meta' }, `Pupils shown or named: ${p.content.pupils.join(', ')}`) : null),
  );
  root.append(checklist(p));
  if (p.screening) root.append(await renderScreening(p.screening, p.content?.text ?? '', { heading: 'What screening found' }));
  if (p.approval) {
    const by = p.approval.by === 'checklist' ? 'Cleared by the checklist (this trust’s policy names no approver)' : `Approved by ${p.approval.by_name || p.approval.by}`;
    root.append(notice('info', `${by} ${when(p.approval.at)}`, p.approval.expires_at ? `; the approval lapses ${when(p.approval.expires_at)}` : '', '.'));
  }
  if (p.published) root.append(notice('ok', `Published ${when(p.published.at)} by ${p.published.by_name || p.published.by}`, p.published.url ? [' at ', h('a', { href: p.published.url, rel: 'noopener noreferrer' }, p.published.url)] : '', '.'));
  root.append(actions(p, status));
  if (p.history?.length) {
    root.append(h('section', { 'aria-labelledby': 'post-history' }, h('h2', { id: 'post-history' }, 'History'),
      table(['When', 'Who', 'What', 'Note'], p.history.map((x: any) => [when(x.at), x.by, humanise(x.action ?? x.what ?? ''), x.note ?? x.detail ?? '']))));
  }
}

function checklist(p: any): HTMLElement {
  const items: any[] = p.checklist ?? [];
  const box = h('section', { class: 'card', 'aria-labelledby': 'post-checklist' }, h('h2', { id: 'post-checklist' }, 'Checklist before it goes live ', p.ready ? badge('All clear', 'ok') : badge('Not ready', 'bad')));
  const list = h('ul', { class: 'checklist' });
  for (const it of items) {
    const st = it.status as string;
    list.append(
      h('li', { 'data-item': it.id },
        h('span', { class: `mark ${st}`, 'aria-hidden': 'true' }, markFor[st] ?? '?'),
        h('div', null,
          h('strong', null, it.title), ' ', badge(itemWords[st] ?? humanise(st), st === 'ok' ? 'ok' : st === 'problem' ? 'bad' : 'warn'),
          ...(Array.isArray(it.details) ? it.details : it.details ? [it.details] : []).map((d: string) => h('div', { class: 'meta' }, d)),
          it.clauses?.length ? h('div', { class: 'meta' }, `Clauses: ${it.clauses.join(', ')}`) : null,
          it.id === 'consent' && st !== 'ok' && S.can('write_pupils') ? consentForm(p, it) : null)),
    );
  }
  box.append(list);
  return box;
}

// For the office (write_pupils): record a consent right from the checklist.
function consentForm(p: any, _item: any): HTMLElement {
  const status = h('div');
  const pupil = select('consent_pupil', (p.content?.pupils ?? []).map((x: string) => [x, x]));
  const purpose = select('consent_purpose', [['photo', 'Photos'], ['social_media', 'Social media (names and posts)']], 'social_media');
  const evidence = h('input', { name: 'consent_evidence' });
  const save = h('button', { type: 'submit' }, 'Record consent as granted');
  const form = h('form', { class: 'form', novalidate: true },
    h('h3', null, 'Record a consent'),
    h('p', { class: 'hint' }, 'Only when you hold the signed form. It applies to every channel unless recorded for one.'),
    status,
    h('div', { class: 'row' }, field('Pupil', pupil), field('Consent for', purpose)),
    field('Where the signed form is kept', evidence),
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await busy(save, async () => {
      try {
        const on = new Date().toISOString().slice(0, 10);
        const rid = `${pupil.value}|${purpose.value}||${on}`;
        const existing = await get(`/api/v1/registers/consents/${encodeURIComponent(rid)}`).catch(() => null);
        await put(`/api/v1/registers/consents/${encodeURIComponent(rid)}`, {
          ...(existing ? { version: existing.version } : {}),
          fields: { pupil_id: pupil.value, purpose: purpose.value, channel: '', status: 'granted', on, evidence: evidence.value.trim(), recorded_by: S.session().user.staff_id },
        });
        showOk(status, 'Recorded.');
        reload();
      } catch (err) {
        showError(status, err, form);
      }
    });
  });
  return form;
}

const actionText: Record<string, string> = {
  submit: 'Submit for approval',
  approve: 'Approve: go live',
  request_changes: 'Ask for changes',
  reject: 'Reject',
  publish: 'Mark as published',
  withdraw: 'Withdraw',
  confirm_removed: 'Confirm it has been removed',
};

function actions(p: any, status: HTMLElement): HTMLElement {
  const can: string[] = p.can ?? [];
  const box = h('section', { 'aria-labelledby': 'post-actions' }, h('h2', { id: 'post-actions' }, 'What you can do'));
  if (!can.length) {
    box.append(h('p', { class: 'meta' }, 'Nothing for you to do on this post now.'));
    return box;
  }
  const bar = h('div', { class: 'actions' });
  const panel = h('div');
  const run = async (btn: HTMLButtonElement | null, action: string, extra: Record<string, unknown> = {}, form?: HTMLElement) => {
    await busy(btn, async () => {
      try {
        await post(`${path(p.id)}/${action}`, { version: p.version, ...extra });
        reload();
      } catch (err) {
        showError(status, err, form);
        status.scrollIntoView({ block: 'nearest' });
      }
    });
  };
  for (const a of can) {
    if (a === 'edit') {
      bar.append(h('a', { class: 'button', href: `#/posts/${encodeURIComponent(p.id)}?edit=1` }, 'Edit'));
      continue;
    }
    const btn = h('button', { type: 'button', class: a === 'approve' || a === 'publish' || a === 'submit' ? 'primary' : a === 'reject' || a === 'withdraw' ? 'danger' : '' }, actionText[a] ?? humanise(a));
    if (a === 'approve' && !p.ready) {
      btn.disabled = true;
      btn.setAttribute('aria-describedby', 'approve-why');
      bar.append(btn, h('span', { id: 'approve-why', class: 'meta' }, 'The checklist must be clear first.'));
      continue;
    }
    btn.addEventListener('click', () => {
      if (a === 'request_changes' || a === 'reject') {
        const reason = h('textarea', { name: 'reason', rows: 3 });
        const send = h('button', { type: 'submit', class: a === 'reject' ? 'danger' : 'primary' }, actionText[a]);
        const f = h('form', { class: 'card', novalidate: true }, field(a === 'reject' ? 'Why it is rejected' : 'What needs to change', reason, 'The author sees this.'), h('div', { class: 'actions' }, send));
        f.addEventListener('submit', (e) => {
          e.preventDefault();
          void run(send, a, { reason: reason.value.trim() }, f);
        });
        clear(panel, f);
        reason.focus();
      } else if (a === 'publish') {
        const url = h('input', { type: 'url', name: 'url', inputmode: 'url' });
        const followed = h('input', { type: 'checkbox', id: 'policy-followed', name: 'policy_followed' });
        const send = h('button', { type: 'submit', class: 'primary' }, 'Mark as published');
        const f = h('form', { class: 'card', novalidate: true },
          h('p', null, 'Post exactly the approved text and photos on the account, then record it here.'),
          field('Link to the live post', url),
          h('div', { class: 'choice' }, followed, h('label', { for: 'policy-followed' }, 'I followed the policy: the approved content, on the approved account, with nothing added')),
          h('div', { class: 'actions' }, send));
        f.addEventListener('submit', (e) => {
          e.preventDefault();
          void run(send, 'publish', { url: url.value.trim(), policy_followed: followed.checked }, f);
        });
        clear(panel, f);
        url.focus();
      } else if (a === 'withdraw' && !confirm('Withdraw this post? The approver and publisher will no longer see it.')) {
        return;
      } else {
        void run(btn, a);
      }
    });
    bar.append(btn);
  }
  box.append(bar, panel);
  return box;
}
