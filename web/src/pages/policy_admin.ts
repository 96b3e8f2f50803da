// Running the policy: its versions and review dates (overdue shown), recording
// a review or a new version (the notice period is the server's to enforce),
// and acknowledgement rates per school. The policy page calls
// renderPolicyAdmin for users who manage the policy or read reports.
import { get, post } from '../api';
import { badge, clear, field, h, humanise, notice, select, uid, when } from '../dom';
import { busy, labelField, showError, value } from '../forms';
import { can, schoolName } from '../session';

interface Review {
  reviewed_on: string;
  reviewed_by: string;
  outcome: string;
  notes: string;
  recorded_by: string;
}
interface Version {
  id: string;
  version: string;
  title: string;
  approving_body: string;
  approved_on: string;
  effective_from: string;
  review_due: string;
  summary: string;
  reviews: Review[];
  recorded_at: string;
  recorded_by: string;
  acknowledged_at: string;
}
interface PolicyStatus {
  title: string;
  current: Version | null;
  upcoming: Version[];
  versions: Version[];
  review: { cycle_months: number; next_review_due: string; overdue: boolean; days_overdue: number } | null;
  amend_notice_days: number | null;
  needs_acknowledgement: string[];
}
interface AckSchool {
  school: string;
  staff: number;
  acknowledged: number;
  rate: number;
  missing?: Array<{ username: string; name: string }>;
}
interface AckReport {
  version: string;
  staff: number;
  acknowledged: number;
  rate: number;
  schools: AckSchool[];
}

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

export async function renderPolicyAdmin(container: HTMLElement): Promise<void> {
  const manage = can('manage_policy');
  const area = h('div', { class: 'policy-admin' });
  const messages = h('div', { id: 'policy-admin-messages' });
  container.append(messages, area);
  let status: PolicyStatus;
  try {
    status = await get<PolicyStatus>('/api/v1/policy');
  } catch (err) {
    showError(messages, err);
    return;
  }
  draw(status);

  function announce(text: string): void {
    const box = notice('ok', text);
    box.setAttribute('tabindex', '-1');
    clear(messages, box);
    box.focus();
  }

  async function refresh(text: string): Promise<void> {
    status = await get<PolicyStatus>('/api/v1/policy');
    draw(status);
    announce(text);
  }

  function draw(s: PolicyStatus): void {
    clear(area, reviewSection(s), versionsSection(s));
    if (can('read_staff') && s.versions.length) area.appendChild(acksSection(s));
    if (manage) area.append(reviewForm(s), versionForm(s));
  }

  // ---- review dates
  function reviewSection(s: PolicyStatus): HTMLElement {
    const sec = h('section', { 'aria-labelledby': 'pa-review-h' }, h('h2', { id: 'pa-review-h' }, 'Review dates'));
    if (!s.current || !s.review) {
      sec.appendChild(notice('warn', 'No version of the policy is in effect yet.'));
      return sec;
    }
    const r = s.review;
    const due = r.next_review_due;
    const cards = h(
      'div',
      { class: 'cards policy-review-cards' },
      h('div', { class: 'card' }, h('p', { class: 'meta' }, 'Version in effect'), h('p', { class: 'stat' }, s.current.version), h('p', null, `Since ${when(s.current.effective_from)}, approved by the ${s.current.approving_body}.`)),
      h(
        'div',
        { class: `card${r.overdue ? ' card-overdue' : ''}` },
        h('p', { class: 'meta' }, 'Next review due'),
        h('p', { class: 'stat' }, due ? when(due) : 'Not set'),
        r.overdue ? h('p', null, badge(`Overdue by ${r.days_overdue} ${r.days_overdue === 1 ? 'day' : 'days'}`, 'bad')) : h('p', null, badge('On schedule', 'ok')),
      ),
      h('div', { class: 'card' }, h('p', { class: 'meta' }, 'Review cycle'), h('p', { class: 'stat' }, `${r.cycle_months} months`), h('p', null, s.amend_notice_days ? `Staff get ${s.amend_notice_days} days’ notice of changes.` : 'The policy sets no notice period for changes.')),
    );
    sec.appendChild(cards);
    if (r.overdue) {
      sec.appendChild(
        notice('warn', h('strong', null, 'The policy review is overdue. '), manage ? 'Record the review below once the approving body has looked at the policy.' : 'The people who manage the policy have been asked to review it.'),
      );
    }
    const reviews = s.current.reviews ?? [];
    sec.appendChild(h('h3', null, `Reviews of version ${s.current.version}`));
    if (!reviews.length) {
      sec.appendChild(h('p', { class: 'meta' }, 'No reviews recorded yet for this version.'));
    } else {
      sec.appendChild(
        tableOf(
          `Reviews of version ${s.current.version}`,
          ['Reviewed on', 'By', 'Outcome', 'Notes'],
          [...reviews].reverse().map((x) => [when(x.reviewed_on), x.reviewed_by, humanise(x.outcome), x.notes || '—']),
        ),
      );
    }
    return sec;
  }

  // ---- versions
  function versionsSection(s: PolicyStatus): HTMLElement {
    const sec = h('section', { 'aria-labelledby': 'pa-versions-h' }, h('h2', { id: 'pa-versions-h' }, 'Versions'));
    if (!s.versions.length) {
      sec.appendChild(h('p', null, 'No versions recorded yet.'));
      return sec;
    }
    const upcoming = new Set(s.upcoming.map((v) => v.id));
    const rows = [...s.versions].reverse().map((v) => {
      const state = s.current?.id === v.id ? badge('In effect', 'ok') : upcoming.has(v.id) ? badge('Coming', 'warn') : badge('Superseded');
      const overdue = s.current?.id === v.id && s.review?.overdue;
      return [
        h('strong', null, v.version),
        state,
        v.approving_body,
        when(v.approved_on),
        when(v.effective_from),
        h('span', null, when(v.review_due), overdue ? [' ', badge('Overdue', 'bad')] : null),
        v.summary,
      ];
    });
    sec.appendChild(tableOf('Policy versions, newest first', ['Version', 'Status', 'Approved by', 'Approved on', 'Takes effect', 'Review due', 'What changed'], rows));
    return sec;
  }

  // ---- acknowledgements
  function acksSection(s: PolicyStatus): HTMLElement {
    const sec = h('section', { 'aria-labelledby': 'pa-acks-h' });
    sec.appendChild(h('h2', { id: 'pa-acks-h' }, 'Acknowledgements'));
    sec.appendChild(h('p', { class: 'intro' }, 'Staff are asked to read and acknowledge each version. These are the rates in the schools you can see.'));
    const versions = [...s.versions].reverse();
    const initial = s.upcoming.length ? s.upcoming[s.upcoming.length - 1].id : s.current?.id ?? versions[0].id;
    const sel = select('version', versions.map((v): [string, string] => [v.id, `Version ${v.version}${s.current?.id === v.id ? ' (in effect)' : upcoming(v.id) ? ' (coming)' : ''}`]), initial);
    sel.id = uid('ack-version');
    const out = h('div', { 'aria-live': 'polite' });
    const errs = h('div', { id: 'pa-acks-errors' });
    sec.append(h('div', { class: 'row' }, field('Show acknowledgements of', sel)), errs, out);
    sel.addEventListener('change', () => void load());
    void load();
    return sec;

    function upcoming(id: string): boolean {
      return s.upcoming.some((u) => u.id === id);
    }

    async function load(): Promise<void> {
      out.setAttribute('aria-busy', 'true');
      clear(errs);
      try {
        const r = await get<AckReport>(`/api/v1/policy/versions/${encodeURIComponent(sel.value)}/acknowledgements`);
        drawAcks(r);
      } catch (err) {
        clear(out);
        showError(errs, err);
      } finally {
        out.removeAttribute('aria-busy');
      }
    }

    function drawAcks(r: AckReport): void {
      if (!r.staff) {
        clear(out, h('p', null, 'No staff with accounts in your schools yet.'));
        return;
      }
      const rows = r.schools.map((x) => [
        x.school === '(trust)' ? 'Central trust staff' : schoolName(x.school),
        String(x.staff),
        String(x.acknowledged),
        rateCell(x.rate, percent(x.rate)),
        x.missing?.length
          ? h('details', null, h('summary', null, `${x.missing.length} not yet`), h('ul', { class: 'plain' }, x.missing.map((m) => h('li', null, m.name || m.username))))
          : 'Everyone',
      ]);
      rows.push([h('strong', null, 'All'), h('strong', null, String(r.staff)), h('strong', null, String(r.acknowledged)), rateCell(r.rate, h('strong', null, percent(r.rate))), '']);
      clear(
        out,
        h('p', null, h('strong', null, percent(r.rate)), ` of staff (${r.acknowledged} of ${r.staff}) have acknowledged version ${r.version}.`),
        tableOf(`Acknowledgements of version ${r.version} by school`, ['School', 'Staff', 'Acknowledged', 'Rate', 'Not yet acknowledged'], rows),
      );
    }
  }

  // ---- record a review
  function reviewForm(s: PolicyStatus): HTMLElement {
    const sec = h('section', { class: 'card', 'aria-labelledby': 'pa-rev-form-h' });
    const errors = h('div', { id: 'pa-review-errors' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Record the review');
    const cycle = s.review?.cycle_months ?? 12;
    const form = h(
      'form',
      { novalidate: true },
      h(
        'div',
        { class: 'row' },
        field('Reviewed on', h('input', { type: 'date', name: 'reviewed_on', value: today(), max: today(), required: true, 'aria-required': 'true' }), 'The date of the meeting that reviewed it.'),
        field('Reviewed by', h('input', { type: 'text', name: 'reviewed_by', required: true, 'aria-required': 'true', autocomplete: 'off' }), 'The body or person who reviewed it, e.g. “Trust board”.'),
      ),
      field('Outcome', select('outcome', [['no_change', 'No change needed'], ['amendments_proposed', 'Amendments proposed']], 'no_change')),
      field('Next review due (optional)', h('input', { type: 'date', name: 'next_review_due' }), `Leave empty for ${cycle} months after the review, the policy’s review cycle.`),
      field('Notes (optional)', h('textarea', { name: 'notes', rows: '3' })),
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(submit, async () => {
        try {
          const body: Record<string, string> = {
            reviewed_on: value(form, 'reviewed_on'),
            reviewed_by: value(form, 'reviewed_by'),
            outcome: value(form, 'outcome'),
            notes: value(form, 'notes'),
          };
          const next = value(form, 'next_review_due');
          if (next) body.next_review_due = next;
          await post('/api/v1/policy/reviews', body);
          await refresh(`Review recorded for version ${s.current?.version ?? ''}.`);
        } catch (err) {
          showError(errors, labelField(err, form), form);
        }
      });
    });
    sec.append(
      h('h2', { id: 'pa-rev-form-h' }, 'Record a review'),
      h('p', { class: 'intro' }, s.current ? `A review of version ${s.current.version}, the one in effect. It sets the next review date.` : 'There is no version in effect to review.'),
      errors,
      form,
    );
    return sec;
  }

  // ---- record a new version
  function versionForm(s: PolicyStatus): HTMLElement {
    const sec = h('section', { class: 'card', 'aria-labelledby': 'pa-ver-form-h' });
    const errors = h('div', { id: 'pa-version-errors' });
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Record the new version');
    const notice_days = s.amend_notice_days ?? 0;
    const earliest = notice_days ? addDays(today(), notice_days) : today();
    const form = h(
      'form',
      { novalidate: true },
      h(
        'div',
        { class: 'row' },
        field('Version', h('input', { type: 'text', name: 'version', required: true, 'aria-required': 'true', autocomplete: 'off' }), 'As printed on the policy, e.g. “3.1”.'),
        field('Approved by', h('input', { type: 'text', name: 'approving_body', required: true, 'aria-required': 'true', value: s.current?.approving_body ?? '' }), 'The board or committee that approved it.'),
      ),
      h(
        'div',
        { class: 'row' },
        field('Approved on', h('input', { type: 'date', name: 'approved_on', required: true, 'aria-required': 'true', max: today() })),
        field(
          'Takes effect on',
          h('input', { type: 'date', name: 'effective_from', required: true, 'aria-required': 'true', min: earliest }),
          notice_days ? `Staff get ${notice_days} days’ notice: the earliest date is ${when(earliest)}.` : 'Any date on or after approval.',
        ),
      ),
      field('Review due (optional)', h('input', { type: 'date', name: 'review_due' }), `Leave empty for ${s.review?.cycle_months ?? 12} months after it takes effect.`),
      field('What changes', h('textarea', { name: 'summary', rows: '4', required: true, 'aria-required': 'true' }), 'A short summary for staff: it is emailed to everyone with the notice of change.'),
      h('div', { class: 'actions' }, submit),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(submit, async () => {
        try {
          const body: Record<string, string> = {
            version: value(form, 'version'),
            approving_body: value(form, 'approving_body'),
            approved_on: value(form, 'approved_on'),
            effective_from: value(form, 'effective_from'),
            summary: value(form, 'summary'),
          };
          const due = value(form, 'review_due');
          if (due) body.review_due = due;
          const v = await post<Version>('/api/v1/policy/versions', body);
          await refresh(`Version ${v.version} recorded. It takes effect on ${when(v.effective_from)}; every member of staff has been sent notice of the change.`);
        } catch (err) {
          showError(errors, labelField(err, form), form);
        }
      });
    });
    sec.append(
      h('h2', { id: 'pa-ver-form-h' }, 'Record a new version'),
      h('p', { class: 'intro' }, 'Once the approving body has approved a new version, record it here. Gatehouse emails all staff a notice of the change and asks them to acknowledge it.'),
      errors,
      form,
    );
    return sec;
  }
}

// A rate as a bar and its percentage (the bar is decoration: the number is
// the text). Widths go through the CSSOM: the CSP forbids style attributes.
function rateCell(rate: number, label: Node | string): HTMLElement {
  const fill = h('span', { class: 'rate-fill' });
  fill.style.width = `${Math.max(0, Math.min(100, Math.round(rate * 100)))}%`;
  return h('span', { class: 'rate' }, h('span', { class: 'rate-bar', 'aria-hidden': 'true' }, fill), h('span', { class: 'rate-text' }, label));
}

function tableOf(caption: string, headers: string[], rows: Array<Array<Node | string>>): HTMLElement {
  const id = uid('tbl');
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': id, tabindex: '0' },
    h(
      'table',
      { class: 'stack' },
      h('caption', { id }, caption),
      h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row', 'data-label': headers[0] }, c) : h('td', { 'data-label': headers[i] }, c)))))),
    ),
  );
}
