// The policy: what version is in force, acknowledging it, and the policy's
// own words clause by clause (searchable). Those who manage the policy also
// get its versions, reviews and acknowledgement rates (policy_admin.ts).
import { get, post } from '../api';
import { badge, clear, field, h, notice, pageHeading, when } from '../dom';
import { busy, showError } from '../forms';
import { reload } from '../router';
import * as S from '../session';
import { renderPolicyAdmin } from './policy_admin';

export async function render(root: HTMLElement): Promise<void> {
  const s = S.session();
  const p = await get('/api/v1/policy');
  pageHeading(root, p.title || s.trust.policy.title || 'Social media policy');
  const cur = p.current;
  const status = h('div');
  root.append(status);
  if (cur) {
    root.append(h('p', { class: 'meta' }, `Version ${cur.version}`, cur.effective_from ? ` · in force from ${when(cur.effective_from)}` : '', cur.approving_body ? ` · approved by ${cur.approving_body}` : ''));
    if (cur.summary) root.append(h('p', null, cur.summary));
  }
  const pending: string[] = p.needs_acknowledgement ?? [];
  for (const v of [...(cur ? [cur] : []), ...(p.upcoming ?? [])]) {
    if (!pending.includes(v.id)) {
      if (v === cur) root.append(notice('ok', `You acknowledged version ${v.version} ${when(v.acknowledged_at)}.`));
      continue;
    }
    const btn = h('button', { type: 'button', class: 'primary' }, `I have read and understood version ${v.version}`);
    btn.addEventListener('click', () =>
      busy(btn, async () => {
        try {
          await post(`/api/v1/policy/versions/${encodeURIComponent(v.id)}/acknowledge`, {});
          reload();
        } catch (err) {
          showError(status, err);
        }
      }),
    );
    root.append(
      h('section', { class: 'card', 'aria-labelledby': `ack-${v.id}` },
        h('h2', { id: `ack-${v.id}` }, v === cur ? 'Please acknowledge the policy' : `A new version starts ${when(v.effective_from)}`),
        h('p', null, v === cur ? 'Read the policy below, then confirm that you have read and understood it.' : v.summary || 'The policy is changing. Read what changes, then confirm.'),
        h('div', { class: 'actions' }, btn)),
    );
  }
  if (S.can('manage_policy') || S.can('read_reports')) {
    const admin = h('div');
    root.append(admin);
    await renderPolicyAdmin(admin);
  }
  root.append(await clauses());
}

// The trust's clauses, grouped by section, with a filter box.
async function clauses(): Promise<HTMLElement> {
  const all = await S.allClauses();
  const box = h('section', { 'aria-labelledby': 'policy-text-title', class: 'policy-text' }, h('h2', { id: 'policy-text-title' }, 'What the policy says'));
  const ids = Object.keys(all);
  if (!ids.length) {
    box.append(h('p', { class: 'meta' }, 'The policy’s wording is not available on this server.'));
    return box;
  }
  const filter = h('input', { type: 'search', name: 'filter', autocomplete: 'off' });
  const count = h('p', { class: 'meta', 'aria-live': 'polite' });
  const list = h('div');
  const sectionOf = (id: string) => id.split('-').slice(0, 2).join('-');
  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    const groups = new Map<string, HTMLElement>();
    let shown = 0;
    clear(list);
    for (const id of ids) {
      const c = all[id];
      if (q && !c.text.toLowerCase().includes(q) && !id.toLowerCase().includes(q)) continue;
      shown += 1;
      const sec = sectionOf(id);
      let dl = groups.get(sec);
      if (!dl) {
        dl = h('dl');
        groups.set(sec, dl);
        // Collapsed while reading section by section; open when searching.
        list.append(h('details', { class: 'policy-section', open: Boolean(q) }, h('summary', null, `Section ${sec.split('-').slice(1).join('-') || sec}`), dl));
      }
      dl.append(h('dt', null, id, ' ', c.kind ? badge(c.kind) : null), h('dd', null, c.text));
    }
    count.textContent = q ? `${shown} of ${ids.length} clauses match “${filter.value.trim()}”.` : `${ids.length} clauses in ${groups.size} sections. Open a section to read it, or search.`;
  };
  filter.addEventListener('input', draw);
  box.append(field('Find in the policy', filter, 'For example “friend request”, “photo” or “working hours”.'), count, list);
  draw();
  return box;
}
