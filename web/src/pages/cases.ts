// Cases: the reports and concerns the pack routed to the signed-in person
// (#/cases), the ones they reported themselves (#/cases?mine=true), and one
// case (#/cases/<id>). Handlers see the whole case and act on it in place:
// triage, assign, notes, evidence, escalation, removal requests and closing
// with an outcome. Every action sends the version last read, so that two
// people working on one case cannot overwrite each other. Reporters and staff
// asked to remove something see the limited view the API gives them.
import { ApiError, get, post } from '../api';
import { badge, clear, field, h, humanise, notice, pageHeading, select, uid, when, type Child } from '../dom';
import { busy, showError, value } from '../forms';
import { base64Of } from '../options';
import { query } from '../router';
import { can, roleTitle, schoolName, session } from '../session';

// ---------------------------------------------------------------- the data

export interface RemovalRequest {
  id: string;
  of_staff_id: string;
  of_name: string;
  of_username: string;
  what: string;
  deadline: string;
  status: 'open' | 'met' | 'overdue' | string;
  requested_by: string;
  requested_at: string;
  met_at?: string;
  confirmed_by?: string;
  overdue_at?: string;
  breach_case?: string;
}
interface Note {
  at: string;
  by: string;
  text: string;
}
interface Evidence {
  id: string;
  name: string;
  description: string;
  url: string;
  sha256: string;
  size: number;
  at: string;
  by: string;
}
interface Escalation {
  at: string;
  by: string;
  from: string[];
  to: string[];
  reason: string;
}
interface HistoryItem {
  at: string;
  by: string;
  action: string;
  detail?: string;
}
export interface Case {
  id: string;
  view: 'handler' | 'limited';
  category: string;
  status: string;
  created_at: string;
  summary?: string;
  details?: string;
  severity?: string;
  route_roles?: string[];
  routed_to?: string[];
  assignee?: string;
  reporter?: string;
  reporter_name?: string;
  school?: string;
  subject_staff_id?: string;
  subject_name?: string;
  subject_role?: string;
  source_url?: string;
  clauses?: string[];
  counterpart?: { name?: string; role?: string; pupil_id?: string };
  related_case?: string;
  related_contact?: string;
  gross_misconduct_rule?: string;
  notes?: Note[];
  evidence?: Evidence[];
  escalations?: Escalation[];
  removal_requests?: RemovalRequest[];
  history?: HistoryItem[];
  outcome?: {
    outcomes?: string[];
    summary?: string;
    reporter_message?: string;
    message?: string;
    by?: string;
    at: string;
  } | null;
  closed_at?: string;
  version?: number;
}
interface Meta {
  categories: string[];
  severities: string[];
  outcomes: string[];
  gross_misconduct: Array<{ rule: string; title: string; clauses: string[] }>;
  routes: Record<string, string[]>;
  escalation: Array<{ subject_role: string; route_to: string[] }>;
}

let metaCache: Promise<Meta> | null = null;
function meta(): Promise<Meta> {
  if (!metaCache) {
    metaCache = get<Meta>('/api/v1/cases/meta');
    metaCache.catch(() => (metaCache = null));
  }
  return metaCache;
}

// ---------------------------------------------------------------- words

const categoryNames: Record<string, string> = {
  misuse: 'Misuse of social media',
  self_report: 'Self-report',
  content_about_trust: 'Content about the trust',
  harassment_of_staff: 'Harassment of staff',
  media_enquiry: 'Media enquiry',
  safeguarding: 'Safeguarding',
};
const statusNames: Record<string, string> = {
  open: 'New',
  investigating: 'Investigating',
  escalated: 'Escalated',
  closed: 'Closed',
};
const severityNames: Record<string, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  gross_misconduct: 'Gross misconduct',
};
const outcomeNames: Record<string, string> = {
  no_action: 'No further action',
  advice: 'Advice given',
  removal_request: 'Content removal requested',
  disciplinary_referral: 'Referred for disciplinary action',
  police_referral: 'Referred to the police',
  dbs_referral: 'Referred to the DBS',
  lado_referral: 'Referred to the LADO',
  governing_body_informed: 'Governing body informed',
};
const historyNames: Record<string, string> = {
  open: 'Reported',
  triage: 'Triaged',
  assign: 'Assigned',
  note: 'Note added',
  evidence: 'Evidence added',
  escalate: 'Escalated',
  removal_request: 'Removal requested',
  removal_done: 'Removal confirmed',
  removal_overdue: 'Removal deadline missed',
  close: 'Closed',
};

export const categoryName = (c: string): string => categoryNames[c] ?? humanise(c);
export const statusName = (s: string): string => statusNames[s] ?? humanise(s);
export const severityName = (s: string | undefined): string => (s ? severityNames[s] ?? humanise(s) : 'Not triaged');
const outcomeName = (o: string): string => outcomeNames[o] ?? humanise(o);
const rolesText = (roles: string[] | undefined): string => (roles ?? []).map((r) => roleTitle(r)).join(' or ') || 'nobody';

function person(username: string | undefined): string {
  if (!username) return '';
  if (username === 'system') return 'Gatehouse';
  return username === session().user.username ? 'you' : username;
}

export function severityBadge(c: Pick<Case, 'severity' | 'category'>): HTMLElement {
  const sev = c.severity ?? '';
  const kind = sev === 'gross_misconduct' || sev === 'high' ? 'bad' : sev === 'medium' ? 'warn' : '';
  return badge(sev ? `Severity: ${severityName(sev)}` : 'Not triaged', kind);
}
export function statusBadge(status: string): HTMLElement {
  return badge(statusName(status), status === 'closed' ? 'ok' : status === 'escalated' ? 'warn' : '');
}
export function categoryBadge(category: string): HTMLElement {
  return badge(categoryName(category), category === 'safeguarding' ? 'safeguarding' : '');
}

// "due in 2 days", "due in 5 hours", "overdue by 1 day".
export function dueText(iso: string, now = Date.now()): { text: string; overdue: boolean; soon: boolean } {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return { text: '', overdue: false, soon: false };
  const diff = t - now;
  const abs = Math.abs(diff);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  let span: string;
  if (abs < 3600_000) span = plural(Math.max(1, Math.round(abs / 60_000)), 'minute');
  else if (abs < 86400_000) span = plural(Math.round(abs / 3600_000), 'hour');
  else span = plural(Math.round(abs / 86400_000), 'day');
  return diff < 0
    ? { text: `overdue by ${span}`, overdue: true, soon: false }
    : { text: `due in ${span}`, overdue: false, soon: diff < 2 * 86400_000 };
}

export function openRemovals(c: Case): RemovalRequest[] {
  return (c.removal_requests ?? []).filter((r) => r.status === 'open' || r.status === 'overdue');
}

const severityOrder = ['gross_misconduct', 'high', 'medium', 'low', ''];
// Safeguarding first, then by severity, untriaged before low, newest first.
export function caseOrder(a: Case, b: Case): number {
  const closed = Number(a.status === 'closed') - Number(b.status === 'closed');
  if (closed) return closed;
  const sg = Number(b.category === 'safeguarding') - Number(a.category === 'safeguarding');
  if (sg) return sg;
  const sev = severityOrder.indexOf(a.severity ?? '') - severityOrder.indexOf(b.severity ?? '');
  if (sev) return sev;
  return (b.created_at ?? '').localeCompare(a.created_at ?? '');
}

function dl(rows: Array<[string, Child]>): HTMLElement {
  const list = h('dl', { class: 'case-facts' });
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === '' || v === false) continue;
    list.append(h('dt', null, k), h('dd', null, v));
  }
  return list;
}

// ---------------------------------------------------------------- the list

type Filters = { status: string; severity: string; category: string; q: string };

export async function renderList(root: HTMLElement, _params: string[]): Promise<void> {
  const q = query();
  const mine = q.get('mine') === 'true';
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Which cases' },
    h('a', { href: '#/cases', 'aria-current': mine ? null : 'page' }, 'Cases I handle'),
    h('a', { href: '#/cases?mine=true', 'aria-current': mine ? 'page' : null }, 'Reports I made'),
  );
  if (mine) {
    pageHeading(root, 'Reports I made', 'Concerns you reported, and any request to remove something you posted. You are told the outcome here when a case is closed.');
    root.appendChild(tabs);
    const data = await get<{ cases: Case[] }>('/api/v1/cases?mine=true');
    const cases = [...data.cases].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''));
    if (!cases.length) {
      root.appendChild(
        h('div', { class: 'card empty' }, h('p', null, 'You have not reported anything yet.'), h('p', null, h('a', { href: '#/concern' }, 'Report a concern'), ' if you have seen something that worries you.')),
      );
      return;
    }
    root.appendChild(h('ul', { class: 'list case-list' }, cases.map((c) => mineItem(c))));
    return;
  }

  pageHeading(root, 'Cases', 'Reports and concerns routed to you. Safeguarding comes first, then the most serious.');
  root.appendChild(tabs);
  const [data, m] = await Promise.all([get<{ cases: Case[] }>('/api/v1/cases'), meta()]);
  const all = [...data.cases].sort(caseOrder);
  const f: Filters = {
    status: q.get('status') ?? 'active',
    severity: q.get('severity') ?? '',
    category: q.get('category') ?? '',
    q: q.get('q') ?? '',
  };
  const statusSel = select(
    'status',
    [
      ['active', 'Not closed'],
      ['open', 'New (not triaged)'],
      ['investigating', 'Investigating'],
      ['escalated', 'Escalated'],
      ['closed', 'Closed'],
      ['all', 'All'],
    ],
    f.status,
  );
  const sevSel = select('severity', [['', 'Any severity'], ['untriaged', 'Not triaged'], ...m.severities.map((s): [string, string] => [s, severityName(s)])], f.severity);
  const catSel = select('category', [['', 'Any category'], ...m.categories.map((c): [string, string] => [c, categoryName(c)])], f.category);
  const search = h('input', { type: 'search', name: 'q', value: f.q, autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter cases' },
    h('div', { class: 'row' }, field('Status', statusSel), field('Severity', sevSel), field('Category', catSel), field('Search', search, 'Summary, names or reference')),
  );
  const count = h('p', { class: 'meta', role: 'status', 'aria-live': 'polite' });
  const results = h('div');
  root.append(form, count, results);

  const apply = () => {
    f.status = statusSel.value;
    f.severity = sevSel.value;
    f.category = catSel.value;
    f.q = search.value.trim();
    const params = new URLSearchParams();
    if (f.status !== 'active') params.set('status', f.status);
    if (f.severity) params.set('severity', f.severity);
    if (f.category) params.set('category', f.category);
    if (f.q) params.set('q', f.q);
    const qs = params.toString();
    history.replaceState(null, '', `#/cases${qs ? '?' + qs : ''}`);
    const needle = f.q.toLowerCase();
    const shown = all.filter((c) => {
      if (f.status === 'active' && c.status === 'closed') return false;
      if (f.status !== 'active' && f.status !== 'all' && c.status !== f.status) return false;
      if (f.severity === 'untriaged' && c.severity) return false;
      if (f.severity && f.severity !== 'untriaged' && c.severity !== f.severity) return false;
      if (f.category && c.category !== f.category) return false;
      if (needle) {
        const hay = [c.id, c.summary, c.details, c.reporter_name, c.reporter, c.subject_name, c.assignee].join(' ').toLowerCase();
        if (!hay.includes(needle)) return false;
      }
      return true;
    });
    count.textContent = all.length ? `${shown.length} of ${all.length} case${all.length === 1 ? '' : 's'} shown.` : '';
    if (!all.length) {
      clear(results, h('div', { class: 'card empty' }, h('p', null, h('strong', null, 'No cases are routed to you.')), h('p', null, 'When someone reports a concern that the policy sends to you, it appears here and on Today.')));
    } else if (!shown.length) {
      clear(results, h('div', { class: 'card empty' }, h('p', null, 'No cases match these filters.')));
    } else {
      clear(results, h('ul', { class: 'list case-list' }, shown.map((c) => handlerItem(c))));
    }
  };
  form.addEventListener('change', apply);
  search.addEventListener('input', apply);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  apply();
}

function handlerItem(c: Case): HTMLElement {
  const removals = openRemovals(c);
  const next = removals.map((r) => ({ r, d: dueText(r.deadline) })).sort((a, b) => a.r.deadline.localeCompare(b.r.deadline))[0];
  return h(
    'li',
    { class: `case-item${c.category === 'safeguarding' ? ' case-sg' : ''}` },
    h('a', { href: `#/cases/${encodeURIComponent(c.id)}`, class: 'case-link' }, c.summary || c.id),
    h('div', { class: 'badges' }, categoryBadge(c.category), severityBadge(c), statusBadge(c.status)),
    h(
      'p',
      { class: 'meta' },
      `Reported ${when(c.created_at)}`,
      c.reporter_name ? ` by ${c.reporter_name}` : '',
      c.school ? ` · ${schoolName(c.school)}` : '',
      c.subject_name ? ` · About ${c.subject_name}` : '',
      c.assignee ? ` · Assigned to ${person(c.assignee)}` : '',
    ),
    next ? h('p', { class: next.d.overdue ? 'due overdue' : 'due' }, `Removal by ${next.r.of_name || next.r.of_staff_id}: ${next.d.text} (${when(next.r.deadline)})`) : null,
  );
}

function mineItem(c: Case): HTMLElement {
  const mineToRemove = (c.removal_requests ?? []).filter((r) => r.status !== 'met');
  return h(
    'li',
    { class: 'case-item' },
    h('a', { href: `#/cases/${encodeURIComponent(c.id)}`, class: 'case-link' }, c.summary || 'A request to remove something you posted'),
    h('div', { class: 'badges' }, categoryBadge(c.category), statusBadge(c.status), c.outcome ? badge('Outcome ready', 'ok') : null),
    h('p', { class: 'meta' }, `Reported ${when(c.created_at)}`, c.outcome ? ` · Closed ${when(c.outcome.at)}` : ''),
    mineToRemove.map((r) => {
      const d = dueText(r.deadline);
      return h('p', { class: d.overdue ? 'due overdue' : 'due' }, `You are asked to remove: ${r.what} — ${d.text}`);
    }),
  );
}

// ---------------------------------------------------------------- one case

export async function renderCase(root: HTMLElement, params: string[]): Promise<void> {
  const id = params[0] ?? '';
  let c: Case;
  try {
    c = await get<Case>(`/api/v1/cases/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      pageHeading(root, 'Case not found');
      root.append(
        notice(
          'error',
          h('p', null, h('strong', null, 'Not found: '), 'there is no case with this reference that you can see.'),
          h('p', null, 'Cases are shown only to the people the policy routes them to and to the person who reported them. If you were sent this link, check with the person who sent it.'),
        ),
        h('p', null, h('a', { href: '#/cases' }, 'Back to cases'), ' · ', h('a', { href: '#/' }, 'Go to Today')),
      );
      return;
    }
    throw err;
  }
  // Everything the page needs is loaded before anything is shown, so the
  // heading and the case appear together.
  const body = h('div', { class: 'case' });
  const view = new CaseView(body, c);
  await view.prepare();
  view.heading = pageHeading(root, c.summary || (c.view === 'limited' ? 'Request to remove content' : c.id));
  root.appendChild(body);
  view.paint();
}

type Flash = { panel: string; text: string; kind?: 'ok' | 'error' };

class CaseView {
  private meta: Meta | null = null;
  private staff: Array<[string, string]> | null = null;
  private users: Array<{ username: string; display_name: string }> | null = null;
  private open = new Set<string>();

  heading: HTMLElement | null = null;

  constructor(
    private root: HTMLElement,
    private c: Case,
  ) {}

  async prepare(): Promise<void> {
    if (this.c.view !== 'handler') return;
    const [m, staff, users] = await Promise.allSettled([
      meta(),
      get<{ records: Array<{ id: string; fields: Record<string, string> }> }>('/api/v1/registers/staff'),
      can('manage_users') ? get<{ users: Array<{ username: string; display_name: string; disabled: boolean }> }>('/api/v1/users') : Promise.reject(new Error('no')),
    ]);
    if (m.status === 'fulfilled') this.meta = m.value;
    if (staff.status === 'fulfilled') {
      this.staff = staff.value.records
        .map((r): [string, string] => [r.id, `${r.fields.first_name ?? ''} ${r.fields.last_name ?? ''}`.trim() + ` (${r.id}${r.fields.role ? ', ' + roleTitle(r.fields.role) : ''})`])
        .sort((a, b) => a[1].localeCompare(b[1]));
    }
    if (users.status === 'fulfilled') this.users = users.value.users.filter((u) => !u.disabled);
  }

  // Draws the case from this.c; called again after every action.
  paint(flash?: Flash): void {
    const c = this.c;
    const title = c.summary || (c.view === 'limited' ? 'Request to remove content' : c.id);
    if (this.heading) this.heading.textContent = title;
    document.title = `${title} · Gatehouse`;
    if (c.view !== 'handler') {
      this.paintLimited(flash);
      return;
    }
    const top = h('div', { id: 'case-top-msg' });
    const removals = openRemovals(c);
    const attention: Child[] = [];
    for (const r of removals) {
      const d = dueText(r.deadline);
      if (d.overdue || r.status === 'overdue') {
        attention.push(notice('error', h('strong', null, 'Removal overdue: '), `${r.of_name || r.of_staff_id} was asked to remove “${r.what}” by ${when(r.deadline)} (${d.text}).`));
      }
    }
    if (c.status === 'escalated' && c.escalations?.length) {
      const last = c.escalations[c.escalations.length - 1]!;
      attention.push(notice('warn', h('strong', null, 'Escalated: '), `to ${rolesText(last.to)} by ${person(last.by)} on ${when(last.at)}. Reason: ${last.reason}`));
    }
    if (c.status === 'open') attention.push(notice('info', h('strong', null, 'New case: '), 'it has not been triaged yet. Set its severity below to start work on it.'));
    if (c.status === 'closed' && !flash) attention.push(notice('ok', h('strong', null, 'Closed '), `${when(c.outcome?.at ?? c.closed_at)}. The outcome is below; the case can no longer be changed.`));

    const main = h('div', { class: 'case-main' }, this.aboutCard(), removals.length || (c.removal_requests ?? []).length ? this.removalsCard() : null, c.status === 'closed' ? this.outcomeCard() : null);
    const records = h('div', { class: 'case-records' }, this.notesCard(), this.evidenceCard(), c.escalations?.length ? this.escalationsCard() : null, this.historyCard());
    const actions = c.status === 'closed' ? null : this.actions();
    clear(
      this.root,
      h('p', { class: 'meta' }, `Reference ${c.id} · Reported ${when(c.created_at)}${c.reporter_name ? ' by ' + c.reporter_name : ''}`),
      h('div', { class: 'badges' }, categoryBadge(c.category), severityBadge(c), statusBadge(c.status)),
      top,
      attention,
      h('div', { class: `case-layout${actions ? '' : ' no-actions'}` }, main, actions, records),
    );
    if (flash) this.flash(flash);
  }

  private flash(f: Flash): void {
    const area = this.root.querySelector<HTMLElement>(`#${f.panel}-msg`) ?? this.root.querySelector<HTMLElement>('#case-top-msg');
    if (!area) return;
    const box = notice(f.kind ?? 'ok', f.text);
    box.setAttribute('tabindex', '-1');
    clear(area, box);
    box.focus();
  }

  // ---- what the handler reads

  private aboutCard(): HTMLElement {
    const c = this.c;
    const gm = c.gross_misconduct_rule ? this.meta?.gross_misconduct.find((g) => g.rule === c.gross_misconduct_rule) : undefined;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'case-about' },
      h('h2', { id: 'case-about' }, 'The report'),
      c.details ? h('p', { class: 'case-details' }, c.details) : h('p', { class: 'meta' }, 'No further details were given.'),
      dl([
        ['Category', categoryName(c.category)],
        ['Severity', severityName(c.severity) + (gm ? ` — ${gm.title}` : c.gross_misconduct_rule ? ` — ${c.gross_misconduct_rule}` : '')],
        ['Status', statusName(c.status)],
        ['Routed to', rolesText(c.route_roles)],
        ['Assigned to', c.assignee ? person(c.assignee) : 'Nobody yet'],
        ['School', c.school ? schoolName(c.school) : ''],
        ['Reported by', c.reporter === 'system' ? 'Gatehouse (automatically)' : `${c.reporter_name || c.reporter || ''}${c.reporter ? ` (${person(c.reporter)})` : ''}`],
        ['About', c.subject_name ? `${c.subject_name}${c.subject_role ? ', ' + roleTitle(c.subject_role) : ''}` : ''],
        ['The other person', c.counterpart?.name ? `${c.counterpart.name}${c.counterpart.role ? ' (' + humanise(c.counterpart.role).toLowerCase() + ')' : ''}` : ''],
        ['Where it was seen', c.source_url ? h('a', { href: c.source_url, rel: 'noopener noreferrer', target: '_blank' }, c.source_url, h('span', { class: 'visually-hidden' }, ' (opens in a new tab)')) : ''],
        ['Policy clauses', c.clauses?.length ? c.clauses.join(', ') : ''],
        ['Related case', c.related_case ? h('a', { href: `#/cases/${encodeURIComponent(c.related_case)}` }, c.related_case) : ''],
      ]),
    );
  }

  private removalsCard(): HTMLElement {
    const c = this.c;
    const items = (c.removal_requests ?? []).map((r) => {
      const d = dueText(r.deadline);
      const live = r.status === 'open' || r.status === 'overdue';
      const overdue = live && (d.overdue || r.status === 'overdue');
      const btn = h('button', { type: 'button' }, 'Mark as removed');
      btn.addEventListener('click', () => void this.act('removals', btn, 'removal_done', { request_id: r.id }, `Removal confirmed: ${r.what}.`));
      return h(
        'li',
        { class: overdue ? 'removal overdue' : 'removal' },
        h('p', null, h('strong', null, r.of_name || r.of_staff_id), ' is asked to remove: ', r.what),
        h(
          'p',
          { class: 'meta' },
          r.status === 'met'
            ? `Removed — confirmed by ${person(r.confirmed_by)} ${when(r.met_at)} (deadline was ${when(r.deadline)})`
            : `Deadline ${when(r.deadline)} — `,
          r.status === 'met' ? null : h('span', { class: overdue ? 'due overdue' : 'due' }, d.text),
        ),
        h('div', { class: 'badges' }, badge(r.status === 'met' ? 'Removed' : overdue ? 'Overdue' : 'Waiting', r.status === 'met' ? 'ok' : overdue ? 'bad' : 'warn'), r.breach_case ? h('a', { href: `#/cases/${encodeURIComponent(r.breach_case)}` }, 'Breach case') : null),
        live && c.status !== 'closed' ? h('div', { class: 'actions' }, btn) : null,
      );
    });
    return h('section', { class: 'card', 'aria-labelledby': 'case-removals' }, h('h2', { id: 'case-removals' }, 'Removal requests'), h('div', { id: 'removals-msg' }), h('ul', { class: 'list' }, items));
  }

  private outcomeCard(): HTMLElement {
    const o = this.c.outcome;
    if (!o) return h('span');
    return h(
      'section',
      { class: 'card outcome', 'aria-labelledby': 'case-outcome' },
      h('h2', { id: 'case-outcome' }, 'Outcome'),
      h('ul', null, (o.outcomes ?? []).map((x) => h('li', null, outcomeName(x)))),
      dl([
        ['Decided', `${when(o.at)} by ${person(o.by)}`],
        ['Summary', o.summary ?? ''],
        ['Told the reporter', o.reporter_message ?? ''],
      ]),
    );
  }

  private notesCard(): HTMLElement {
    const notes = this.c.notes ?? [];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'case-notes' },
      h('h2', { id: 'case-notes' }, 'Notes ', badge(String(notes.length))),
      notes.length
        ? h('ul', { class: 'list' }, [...notes].reverse().map((n) => h('li', null, h('p', { class: 'case-details' }, n.text), h('p', { class: 'meta' }, `${person(n.by)} · ${when(n.at)}`))))
        : h('p', { class: 'meta' }, 'No notes yet.'),
    );
  }

  private evidenceCard(): HTMLElement {
    const c = this.c;
    const ev = c.evidence ?? [];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'case-evidence' },
      h('h2', { id: 'case-evidence' }, 'Evidence ', badge(String(ev.length))),
      ev.length
        ? h(
            'ul',
            { class: 'list' },
            ev.map((e) =>
              h(
                'li',
                null,
                h('p', null, h('strong', null, e.name), e.size ? ` (${sizeText(e.size)})` : ''),
                e.description ? h('p', null, e.description) : null,
                e.url ? h('p', null, 'Link: ', h('a', { href: e.url, rel: 'noopener noreferrer', target: '_blank' }, e.url, h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'))) : null,
                e.size ? h('p', { class: 'hash' }, 'SHA-256: ', h('code', null, e.sha256)) : null,
                h('p', { class: 'meta' }, `Added by ${person(e.by)} · ${when(e.at)}`),
                e.size
                  ? h('p', null, h('a', { href: `/api/v1/cases/${encodeURIComponent(c.id)}/evidence/${encodeURIComponent(e.id)}`, download: e.name }, 'Download ', h('span', { class: 'visually-hidden' }, e.name)))
                  : null,
              ),
            ),
          )
        : h('p', { class: 'meta' }, 'No evidence yet. Keep copies of what was posted: screenshots, saved pages or links.'),
    );
  }

  private escalationsCard(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'case-escalations' },
      h('h2', { id: 'case-escalations' }, 'Escalations'),
      h(
        'ul',
        { class: 'list' },
        (this.c.escalations ?? []).map((e) => h('li', null, h('p', null, `From ${rolesText(e.from)} to ${rolesText(e.to)}`), h('p', null, e.reason), h('p', { class: 'meta' }, `${person(e.by)} · ${when(e.at)}`))),
      ),
    );
  }

  private historyCard(): HTMLElement {
    const items = [...(this.c.history ?? [])].reverse();
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'case-history' },
      h('h2', { id: 'case-history' }, 'History'),
      items.length
        ? h(
            'ol',
            { class: 'timeline', reversed: true },
            items.map((e) => h('li', null, h('strong', null, historyNames[e.action] ?? humanise(e.action)), e.detail ? ` — ${historyDetail(e)}` : '', h('span', { class: 'meta' }, ` · ${person(e.by)} · ${when(e.at)}`))),
          )
        : h('p', { class: 'meta' }, 'Nothing recorded yet.'),
    );
  }

  // ---- what the handler does

  private actions(): HTMLElement {
    return h(
      'section',
      { class: 'case-actions', 'aria-labelledby': 'case-actions' },
      h('h2', { id: 'case-actions' }, 'Work on this case'),
      this.triagePanel(),
      this.notePanel(),
      this.panel('assign', 'Assign to someone', this.assignForm()),
      this.panel('evidence', 'Add evidence', this.evidenceForm()),
      this.panel('removal', 'Ask for content to be removed', this.removalForm()),
      this.panel('escalate', 'Escalate', this.escalateForm()),
      this.panel('close', 'Close the case', this.closeForm()),
    );
  }

  private panel(key: string, title: string, content: HTMLElement): HTMLElement {
    const d = h('details', { class: 'card panel', id: `panel-${key}`, open: this.open.has(key) }, h('summary', null, title), h('div', { id: `${key}-msg` }), content);
    d.addEventListener('toggle', () => (d.open ? this.open.add(key) : this.open.delete(key)));
    return d;
  }

  // Runs an action with the version last read and paints the answer.
  private async act(panel: string, btn: HTMLButtonElement | null, action: string, body: Record<string, unknown>, ok: string, form?: HTMLElement): Promise<boolean> {
    const area = this.root.querySelector<HTMLElement>(`#${panel}-msg`) ?? this.root.querySelector<HTMLElement>('#case-top-msg')!;
    try {
      const next = await busy(btn, () => post<Case>(`/api/v1/cases/${encodeURIComponent(this.c.id)}/${action}`, { ...body, version: this.c.version }));
      this.c = next;
      this.paint({ panel, text: ok });
      return true;
    } catch (err) {
      showError(area, err, form);
      if (err instanceof ApiError && err.status === 409) {
        const again = h('button', { type: 'button' }, 'Load the latest version');
        again.addEventListener('click', () => void this.refresh(again));
        area.firstElementChild?.appendChild(h('p', null, 'What you typed is still here; load the latest version, check it, then try again. ', again));
      }
      return false;
    }
  }

  private async refresh(btn: HTMLButtonElement): Promise<void> {
    try {
      this.c = await busy(btn, () => get<Case>(`/api/v1/cases/${encodeURIComponent(this.c.id)}`));
      this.paint({ panel: 'case-top', text: 'Showing the latest version of the case.', kind: 'ok' });
    } catch (err) {
      showError(this.root.querySelector<HTMLElement>('#case-top-msg')!, err);
    }
  }

  private triagePanel(): HTMLElement {
    const c = this.c;
    const m = this.meta;
    const severities = m?.severities ?? ['low', 'medium', 'high', 'gross_misconduct'];
    const sev = select('severity', severities.map((s): [string, string] => [s, severityName(s)]), c.severity || (c.category === 'safeguarding' ? 'high' : 'medium'));
    const gms = m?.gross_misconduct ?? [];
    const gm = select('gross_misconduct_rule', [['', 'Choose the rule that was broken'], ...gms.map((g): [string, string] => [g.rule, `${g.title} (${g.clauses.join(', ')})`])], c.gross_misconduct_rule ?? '');
    const gmField = gms.length ? field('Gross misconduct rule', gm, 'The trust’s policy lists what counts as gross misconduct; name the rule this case falls under.') : null;
    const sync = () => gmField && (gmField.hidden = sev.value !== 'gross_misconduct');
    sev.addEventListener('change', sync);
    sync();
    const btn = h('button', { type: 'submit', class: 'primary' }, c.status === 'open' ? 'Triage' : 'Change severity');
    const form = h('form', { novalidate: true }, field('Severity', sev, c.status === 'open' ? 'Triaging a new case moves it to “Investigating”.' : undefined), gmField, h('div', { class: 'actions' }, btn));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const body: Record<string, unknown> = { severity: sev.value };
      if (sev.value === 'gross_misconduct' && gms.length) body.gross_misconduct_rule = gm.value;
      void this.act('triage', btn, 'triage', body, `Triage saved: severity ${severityName(sev.value).toLowerCase()}.`, form);
    });
    return h('section', { class: 'card panel', 'aria-labelledby': 'triage-h' }, h('h3', { id: 'triage-h' }, 'Triage'), h('div', { id: 'triage-msg' }), form);
  }

  private notePanel(): HTMLElement {
    const text = h('textarea', { name: 'text', rows: 4 });
    const btn = h('button', { type: 'submit', class: 'primary' }, 'Add note');
    const form = h('form', { novalidate: true }, field('Note', text, 'What you did or found out. Notes are kept with the case and cannot be edited.'), h('div', { class: 'actions' }, btn));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.act('note', btn, 'note', { text: text.value.trim() }, 'Note added.', form);
    });
    return h('section', { class: 'card panel', 'aria-labelledby': 'note-h' }, h('h3', { id: 'note-h' }, 'Add a note'), h('div', { id: 'note-msg' }), form);
  }

  private assignForm(): HTMLElement {
    const c = this.c;
    const listId = uid('users');
    const input = h('input', { type: 'text', name: 'assignee', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', value: c.assignee || null, list: this.users ? listId : null });
    const btn = h('button', { type: 'submit', class: 'primary' }, 'Assign');
    const form = h(
      'form',
      { novalidate: true },
      field('Username', input, `They must hold a role this case is routed to (${rolesText(c.route_roles)}) or have current investigator training. They are told by email.`),
      this.users ? h('datalist', { id: listId }, this.users.map((u) => h('option', { value: u.username }, u.display_name))) : null,
      h('div', { class: 'actions' }, btn),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.act('assign', btn, 'assign', { assignee: input.value.trim() }, `Assigned to ${input.value.trim()}.`, form);
    });
    return form;
  }

  private evidenceForm(): HTMLElement {
    const group = uid('evkind');
    const kinds: Array<[string, string]> = [
      ['file', 'A file (screenshot, saved page)'],
      ['text', 'Text (copied wording)'],
      ['url', 'A link only'],
    ];
    const radios = kinds.map(([v, t], i) => {
      const r = h('input', { type: 'radio', name: 'evidence_kind', value: v, id: `${group}-${v}`, checked: i === 0 });
      return h('div', { class: 'choice' }, r, h('label', { for: `${group}-${v}` }, t));
    });
    const file = h('input', { type: 'file', name: 'content_base64' });
    const text = h('textarea', { name: 'text', rows: 5 });
    const url = h('input', { type: 'url', name: 'url', inputmode: 'url', autocomplete: 'off' });
    const name = h('input', { type: 'text', name: 'name', autocomplete: 'off' });
    const description = h('input', { type: 'text', name: 'description', autocomplete: 'off' });
    const fileF = field('Choose the file', file, 'Up to 512 KB. Gatehouse records its SHA-256 fingerprint so it can be shown to be unchanged.');
    const textF = field('Text', text);
    const urlF = field('Web address', url, 'For a link-only record, or where a file came from.');
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f && !name.value.trim()) name.value = f.name;
    });
    const sync = () => {
      const k = form.querySelector<HTMLInputElement>('input[name=evidence_kind]:checked')?.value ?? 'file';
      fileF.hidden = k !== 'file';
      textF.hidden = k !== 'text';
    };
    const btn = h('button', { type: 'submit', class: 'primary' }, 'Add evidence');
    const form = h(
      'form',
      { novalidate: true },
      h('fieldset', null, h('legend', null, 'What are you adding?'), radios),
      fileF,
      textF,
      urlF,
      field('Name', name, 'A short name, for example “Screenshot of the post, 3 March”.'),
      field('Description (optional)', description),
      h('div', { class: 'actions' }, btn),
    );
    form.addEventListener('change', sync);
    sync();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void (async () => {
        const k = form.querySelector<HTMLInputElement>('input[name=evidence_kind]:checked')?.value ?? 'file';
        const body: Record<string, unknown> = { name: name.value.trim(), description: description.value.trim(), url: url.value.trim() };
        const area = this.root.querySelector<HTMLElement>('#evidence-msg')!;
        if (k === 'file') {
          const f = file.files?.[0];
          if (!f) return showError(area, new ApiError(400, 'client', 'Choose a file to attach, or pick “Text” or “A link only”.', 'content_base64'), form);
          if (f.size > 512 * 1024) return showError(area, new ApiError(400, 'client', `${f.name} is ${sizeText(f.size)}; evidence files can be up to 512 KB. Save a smaller screenshot or crop it.`, 'content_base64'), form);
          if (!body.name) body.name = f.name;
          try {
            body.content_base64 = await busy(btn, async () => base64Of(await f.arrayBuffer()));
          } catch {
            return showError(area, new ApiError(0, 'client', `Could not read ${f.name}. Try choosing it again.`, 'content_base64'), form);
          }
        } else if (k === 'text') {
          body.text = text.value;
        }
        const ok = await this.act('evidence', btn, 'evidence', body, '', form);
        if (ok) {
          const added = (this.c.evidence ?? [])[(this.c.evidence ?? []).length - 1];
          if (added) this.flash({ panel: 'evidence', text: added.size ? `Evidence added: ${added.name}. SHA-256 ${added.sha256}.` : `Evidence added: ${added.name}.` });
        }
      })();
    });
    return form;
  }

  private removalForm(): HTMLElement {
    const c = this.c;
    let who: HTMLInputElement | HTMLSelectElement;
    let hint: string;
    if (this.staff?.length) {
      who = select('of_staff_id', [['', 'Choose a member of staff'], ...this.staff], c.subject_staff_id ?? '');
      hint = 'The person who posted it. They are emailed and can confirm in Gatehouse when it is gone.';
    } else {
      who = h('input', { type: 'text', name: 'of_staff_id', autocomplete: 'off', value: c.subject_staff_id || null });
      hint = 'Their staff ID from the staff register (for example S007). They are emailed and can confirm in Gatehouse when it is gone.';
    }
    const what = h('textarea', { name: 'what', rows: 3 });
    const deadline = h('input', { type: 'datetime-local', name: 'deadline', min: localInput(new Date()) });
    const btn = h('button', { type: 'submit', class: 'primary' }, 'Send removal request');
    const form = h(
      'form',
      { novalidate: true },
      field('Who is asked', who, hint),
      field('What must be removed', what, 'Say where it is, for example the post, photo or comment and its link.'),
      field('Deadline', deadline, 'If it is not removed by then, Gatehouse escalates this case and opens a breach case about the person.'),
      h('div', { class: 'actions' }, btn),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = deadline.value;
      const d = v ? new Date(v) : null;
      const iso = d && !Number.isNaN(d.getTime()) ? d.toISOString() : v;
      void this.act('removal', btn, 'removal_request', { of_staff_id: value(form, 'of_staff_id'), what: what.value.trim(), deadline: iso }, `Removal request sent; deadline ${when(iso)} (${dueText(iso).text}).`, form);
    });
    return form;
  }

  private escalationTarget(): string[] {
    const from = this.c.route_roles ?? [];
    const steps = this.meta?.escalation ?? [];
    const key = from[0] ?? '*';
    return (steps.find((s) => s.subject_role === key) ?? steps.find((s) => s.subject_role === '*'))?.route_to ?? [];
  }

  private escalateForm(): HTMLElement {
    const from = this.c.route_roles ?? [];
    const to = this.escalationTarget();
    if (this.meta && to.join(',') === from.join(',')) {
      return h('p', null, `The trust’s escalation matrix has nobody above ${rolesText(from)}. Record your concerns in a note and contact the trust directly.`);
    }
    const reason = h('textarea', { name: 'reason', rows: 3 });
    const btn = h('button', { type: 'submit' }, 'Escalate…');
    const confirmArea = h('div');
    const form = h(
      'form',
      { novalidate: true },
      h('p', null, to.length ? `Escalating sends this case to ${rolesText(to)}, who are emailed. ` : 'Escalating sends this case up the trust’s escalation matrix. ', 'You may no longer see it once it has gone.'),
      field('Reason', reason, 'Why it needs someone more senior.'),
      h('div', { class: 'actions' }, btn),
      confirmArea,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      confirm(confirmArea, `Escalate this case to ${rolesText(to)}?`, 'Yes, escalate', async (yes) => {
        const ok = await this.act('escalate', yes, 'escalate', { reason: reason.value.trim() }, `Escalated to ${rolesText(to)}.`, form);
        if (!ok) return;
        // Once it has gone up, the person who escalated may no longer handle it.
        try {
          this.c = await get<Case>(`/api/v1/cases/${encodeURIComponent(this.c.id)}`);
          this.paint({ panel: 'case-top', text: `Escalated to ${rolesText(to)}.` });
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) return;
          const done = notice('ok', h('p', null, h('strong', null, `Escalated to ${rolesText(to)}.`), ' They have been emailed. The case is no longer routed to you, so you cannot see it any more.'), h('p', null, h('a', { href: '#/cases' }, 'Back to cases')));
          done.setAttribute('tabindex', '-1');
          clear(this.root, done);
          done.focus();
        }
      });
    });
    return form;
  }

  private closeForm(): HTMLElement {
    const c = this.c;
    const pending = openRemovals(c);
    const outcomes = this.meta?.outcomes ?? Object.keys(outcomeNames);
    const group = uid('outcome');
    const boxes = outcomes.map((o) => h('div', { class: 'choice' }, h('input', { type: 'checkbox', name: 'outcomes', value: o, id: `${group}-${o}` }), h('label', { for: `${group}-${o}` }, outcomeName(o))));
    const summary = h('textarea', { name: 'summary', rows: 4 });
    const message = h('textarea', { name: 'reporter_message', rows: 3 });
    const btn = h('button', { type: 'submit', class: 'danger' }, 'Close case…');
    const confirmArea = h('div');
    const reporter = c.reporter === 'system' ? null : c.reporter_name || c.reporter;
    const form = h(
      'form',
      { novalidate: true },
      pending.length ? notice('warn', `${pending.length === 1 ? 'A removal request is' : `${pending.length} removal requests are`} still open. Mark ${pending.length === 1 ? 'it' : 'them'} as removed before closing.`) : null,
      h('fieldset', null, h('legend', null, 'Outcome (choose all that apply)'), boxes),
      field('Summary for the record', summary, 'What was found and decided. Only the case’s handlers and the governors’ report counts see this.'),
      reporter
        ? field(`Message to ${reporter}`, message, 'The reporter sees only this message, not your summary. Leave it empty to send: “Your report has been looked into and the case is closed.”')
        : null,
      h('div', { class: 'actions' }, btn),
      confirmArea,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name=outcomes]:checked')].map((x) => x.value);
      confirm(confirmArea, 'Closing is final: the case cannot be reopened or changed.' + (reporter ? ` ${reporter} will be told the outcome.` : ''), 'Yes, close the case', async (yes) => {
        await this.act('close', yes, 'close', { outcomes: chosen, summary: summary.value.trim(), reporter_message: reporter ? message.value.trim() : '' }, `The case is closed${reporter ? ` and ${reporter} has been told the outcome` : ''}. It can no longer be changed.`, form);
      });
    });
    return form;
  }

  // ---- what a reporter, or someone asked to remove something, sees

  private paintLimited(flash?: Flash): void {
    const c = this.c;
    const explain: Record<string, string> = {
      open: 'Received. The people the policy sends it to have been told and will look into it.',
      investigating: 'Being looked into.',
      escalated: 'Passed to more senior staff, who are looking into it.',
      closed: 'Closed. The outcome is below.',
    };
    const mineToRemove = c.removal_requests ?? [];
    const isReporter = c.summary !== undefined;
    clear(
      this.root,
      h('p', { class: 'meta' }, `Reference ${c.id} · ${isReporter ? 'Reported' : 'Opened'} ${when(c.created_at)}`),
      h('div', { class: 'badges' }, categoryBadge(c.category), statusBadge(c.status)),
      h('div', { id: 'case-top-msg' }),
      isReporter
        ? h(
            'section',
            { class: 'card', 'aria-labelledby': 'lim-report' },
            h('h2', { id: 'lim-report' }, 'Your report'),
            c.details ? h('p', { class: 'case-details' }, c.details) : null,
            dl([
              ['Category', categoryName(c.category)],
              ['Status', `${statusName(c.status)} — ${explain[c.status] ?? ''}`],
              ['Sent to', c.routed_to?.length ? rolesText(c.routed_to) : ''],
            ]),
            c.status !== 'closed' ? h('p', { class: 'meta' }, 'You will be told the outcome here and by email. For a child’s safety, the details of the investigation are shared only with the people handling it.') : null,
          )
        : null,
      c.outcome
        ? h('section', { class: 'card outcome', 'aria-labelledby': 'lim-outcome' }, h('h2', { id: 'lim-outcome' }, 'Outcome'), h('p', { class: 'case-details' }, c.outcome.message ?? ''), h('p', { class: 'meta' }, `Closed ${when(c.outcome.at)}`))
        : null,
      mineToRemove.length
        ? h(
            'section',
            { class: 'card', 'aria-labelledby': 'lim-removals' },
            h('h2', { id: 'lim-removals' }, mineToRemove.some((r) => r.status !== 'met') ? 'You are asked to remove content' : 'Content you were asked to remove'),
            mineToRemove.some((r) => r.status !== 'met') ? h('p', null, 'The policy requires you to remove it by the deadline. Not removing it in time is itself a breach of the policy.') : null,
            h('div', { id: 'removals-msg' }),
            h(
              'ul',
              { class: 'list' },
              mineToRemove.map((r) => {
                const d = dueText(r.deadline);
                const btn = h('button', { type: 'button', class: 'primary' }, 'I have removed it');
                btn.addEventListener('click', () => void this.act('removals', btn, 'removal_done', { request_id: r.id }, 'Thank you: the removal is confirmed.'));
                return h(
                  'li',
                  { class: r.status === 'open' && d.overdue ? 'removal overdue' : 'removal' },
                  h('p', null, h('strong', null, 'Remove: '), r.what),
                  r.status === 'met'
                    ? h('p', null, badge('Removed', 'ok'), ` Confirmed ${when(r.met_at)}`)
                    : h('p', null, `Deadline ${when(r.deadline)} — `, h('span', { class: d.overdue ? 'due overdue' : 'due' }, d.text)),
                  r.status === 'open' ? h('div', { class: 'actions' }, btn) : null,
                );
              }),
            ),
          )
        : null,
      h('p', null, h('a', { href: '#/cases?mine=true' }, 'All my reports')),
    );
    if (flash) this.flash(flash);
  }
}

// An inline "are you sure?" under a form: nothing irreversible happens on the
// first press.
function confirm(area: HTMLElement, question: string, yesText: string, onYes: (btn: HTMLButtonElement) => Promise<void>): void {
  const yes = h('button', { type: 'button', class: 'danger' }, yesText);
  const no = h('button', { type: 'button' }, 'Cancel');
  const box = h('div', { class: 'notice notice-warn confirm', role: 'alertdialog', 'aria-label': 'Confirm', tabindex: '-1' }, h('p', null, h('strong', null, question)), h('div', { class: 'actions' }, yes, no));
  yes.addEventListener('click', () => void onYes(yes).finally(() => box.isConnected && box.remove()));
  no.addEventListener('click', () => {
    box.remove();
    area.closest('form')?.querySelector<HTMLButtonElement>('button[type=submit]')?.focus();
  });
  clear(area, box);
  yes.focus();
}

function sizeText(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / 104857.6) / 10} MB`;
}

function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function historyDetail(e: HistoryItem): string {
  const d = e.detail ?? '';
  if (e.action === 'open') return d.replace(/^routed to (.*)$/, (_m, roles: string) => `sent to ${rolesText(roles.split(', '))}`);
  if (e.action === 'triage') return d.replace(/^([a-z_]+)/, (s) => severityName(s).toLowerCase());
  if (e.action === 'escalate') {
    const [from, to] = d.split(' -> ');
    return `from ${rolesText((from ?? '').split(','))} to ${rolesText((to ?? '').split(','))}`;
  }
  if (e.action === 'evidence') return d.replace(/ sha256:([0-9a-f]{12})[0-9a-f]*/, ' (SHA-256 $1…)');
  if (e.action === 'removal_request') return d.replace(/^(\S+) by (\S+)$/, (_m, id: string, at: string) => `${id}, deadline ${when(at)}`);
  if (e.action === 'close') return d.split(', ').map(outcomeName).join(', ');
  return d;
}
