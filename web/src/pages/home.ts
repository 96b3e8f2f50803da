// Today (#/): what needs the signed-in person now, most urgent first, each
// item linking to where it is handled. Every section loads on its own: one
// the user may not call (403, 422) is left out, and one that fails says so
// without taking the rest of the page with it.
import { ApiError, get } from '../api';
import { badge, h, notice, pageHeading, when, type Child } from '../dom';
import { can, handlesCases, onRoute, roleTitle, schoolName, session } from '../session';
import { caseOrder, categoryBadge, dueText, openRemovals, severityBadge, statusBadge, type Case, type RemovalRequest } from './cases';

interface Post {
  id: string;
  status: string;
  author?: string;
  author_name?: string;
  school?: string;
  account?: { id?: string; platform?: string; url?: string };
  content?: { text?: string };
  scheduled_for?: string;
  approval?: { expires_at?: string; at?: string; by?: string } | null;
  created_at?: string;
  updated_at?: string;
}
interface Advice {
  id: string;
  status: string;
  question: string;
  author_name?: string;
  created_at: string;
  answer?: { at: string; decision: string; by_name?: string } | null;
}
interface Policy {
  title: string;
  current: { id: string; version?: string; title?: string; effective_from?: string } | null;
  upcoming: Array<{ id: string; version?: string; effective_from?: string }>;
  needs_acknowledgement: string[];
  review: { next_review_due: string; overdue: boolean; days_overdue: number } | null;
}

const RECENT_DAYS = 14;
const recent = (iso: string | undefined) => Boolean(iso) && Date.now() - new Date(iso!).getTime() < RECENT_DAYS * 86400_000;

function greeting(): string {
  const hour = new Date().getHours();
  const first = (session().user.display_name || '').split(' ')[0];
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  return first ? `${part}, ${first}.` : `${part}.`;
}

// One "needs you" section: a heading with a count, a line saying why, items.
function section(id: string, title: string, items: HTMLElement[], opts: { intro?: Child; more?: [string, string]; urgent?: boolean } = {}): HTMLElement {
  return h(
    'section',
    { class: `card today${opts.urgent ? ' today-urgent' : ''}`, 'aria-labelledby': id },
    h('h2', { id }, title, ' ', badge(String(items.length), opts.urgent ? 'bad' : ''), h('span', { class: 'visually-hidden' }, items.length === 1 ? ' item' : ' items')),
    opts.intro ? h('p', { class: 'meta' }, opts.intro) : null,
    h('ul', { class: 'list' }, items),
    opts.more ? h('p', null, h('a', { href: opts.more[0] }, opts.more[1])) : null,
  );
}

function item(href: string, title: string, ...rest: Child[]): HTMLElement {
  return h('li', null, h('a', { href, class: 'item-link' }, title), rest);
}

function failed(what: string, err: unknown): HTMLElement | null {
  if (err instanceof ApiError && (err.status === 403 || err.status === 404 || err.status === 422)) return null;
  const msg = err instanceof Error ? err.message : String(err);
  return notice('error', h('strong', null, `Could not load ${what}: `), msg, ' Reload the page to try again.');
}

function postTitle(p: Post): string {
  const t = (p.content?.text ?? '').trim().replace(/\s+/g, ' ');
  return t ? (t.length > 80 ? t.slice(0, 77) + '…' : t) : 'Untitled post';
}
const postWhere = (p: Post) => [p.account?.platform, p.school ? schoolName(p.school) : ''].filter(Boolean).join(' · ');

async function settle<T>(p: Promise<T> | null): Promise<{ ok: true; value: T } | { ok: false; err: unknown } | null> {
  if (!p) return null;
  try {
    return { ok: true, value: await p };
  } catch (err) {
    return { ok: false, err };
  }
}

export async function render(root: HTMLElement, _params: string[]): Promise<void> {
  const s = session();
  pageHeading(root, 'Today', `${greeting()} Here is what needs your attention, most urgent first.`);
  const postsOn = s.trust.official_posts.available;
  const handler = handlesCases();

  root.appendChild(
    h(
      'nav',
      { class: 'quick', 'aria-label': 'Quick actions' },
      h('a', { class: 'button primary', href: '#/check' }, 'Check a post'),
      h('a', { class: 'button', href: '#/contacts' }, 'Record a contact'),
      h('a', { class: 'button', href: '#/concern' }, 'Report a concern'),
    ),
  );

  const [policy, advice, mine, handled, myPosts, approve, publish] = await Promise.all([
    settle(get<Policy>('/api/v1/policy')),
    settle(get<{ mine: Advice[]; to_answer: Advice[] }>('/api/v1/advice')),
    settle(get<{ cases: Case[] }>('/api/v1/cases?mine=true')),
    settle(handler ? get<{ cases: Case[] }>('/api/v1/cases') : null),
    settle(postsOn ? get<{ posts: Post[] }>('/api/v1/posts?queue=mine') : null),
    settle(postsOn ? get<{ posts: Post[] }>('/api/v1/posts?queue=approve') : null),
    settle(postsOn ? get<{ posts: Post[] }>('/api/v1/posts?queue=publish') : null),
  ]);

  const out: Child[] = [];
  const problems: Child[] = [];
  let needs = 0;
  const add = (el: HTMLElement, count: number) => {
    out.push(el);
    needs += count;
  };

  // ---- content I have been asked to remove (a breach if missed)
  if (mine?.ok) {
    const asked: Array<{ c: Case; r: RemovalRequest }> = [];
    for (const c of mine.value.cases) for (const r of c.removal_requests ?? []) if (r.status === 'open' || r.status === 'overdue') asked.push({ c, r });
    asked.sort((a, b) => a.r.deadline.localeCompare(b.r.deadline));
    if (asked.length) {
      add(
        section(
          'today-remove',
          'You are asked to remove content',
          asked.map(({ c, r }) => {
            const d = dueText(r.deadline);
            return item(`#/cases/${encodeURIComponent(c.id)}`, r.what, h('p', { class: 'meta' }, `Deadline ${when(r.deadline)} — `, h('span', { class: d.overdue ? 'due overdue' : 'due' }, d.text)));
          }),
          { intro: 'Remove it, then confirm in Gatehouse. Missing the deadline is itself a breach of the policy.', urgent: true },
        ),
        asked.length,
      );
    }
  } else if (mine && !mine.ok) problems.push(failed('your reports', mine.err));

  // ---- cases routed to me
  if (handled?.ok) {
    const open = handled.value.cases.filter((c) => c.status !== 'closed').sort(caseOrder);
    const fresh = open.filter((c) => c.status === 'open');
    const escalated = open.filter((c) => c.status === 'escalated');
    const safeguarding = open.filter((c) => c.category === 'safeguarding');
    const removals: Array<{ c: Case; r: RemovalRequest; d: ReturnType<typeof dueText> }> = [];
    for (const c of open) {
      for (const r of openRemovals(c)) {
        const d = dueText(r.deadline);
        if (d.overdue || r.status === 'overdue' || new Date(r.deadline).getTime() - Date.now() < 7 * 86400_000) removals.push({ c, r, d });
      }
    }
    removals.sort((a, b) => a.r.deadline.localeCompare(b.r.deadline));
    const overdue = removals.filter((x) => x.d.overdue || x.r.status === 'overdue').length;
    const stat = (n: number, label: string, href: string, bad = false) =>
      h('a', { class: `stat-tile${bad && n ? ' stat-bad' : ''}`, href }, h('span', { class: 'stat' }, String(n)), h('span', null, label));
    const caseItem = (c: Case) =>
      item(
        `#/cases/${encodeURIComponent(c.id)}`,
        c.summary || c.id,
        h('div', { class: 'badges' }, categoryBadge(c.category), severityBadge(c), statusBadge(c.status)),
        h('p', { class: 'meta' }, `Reported ${when(c.created_at)}`, c.reporter_name ? ` by ${c.reporter_name}` : '', c.school ? ` · ${schoolName(c.school)}` : ''),
      );
    const parts: Child[] = [
      open.length === 0 ? null : h(
        'div',
        { class: 'stat-tiles' },
        stat(open.length, 'open', '#/cases'),
        stat(fresh.length, 'new, not triaged', '#/cases?status=open', true),
        stat(safeguarding.length, 'safeguarding', '#/cases?category=safeguarding', true),
        stat(overdue, 'removals overdue', '#/cases', true),
      ),
    ];
    if (!open.length) parts.push(h('p', null, 'No open cases are routed to you.'));
    const block = (id: string, title: string, items: HTMLElement[]) =>
      items.length ? [h('h3', { id }, title, ' ', badge(String(items.length))), h('ul', { class: 'list', 'aria-labelledby': id }, items)] : [];
    parts.push(block('today-new', 'New — not yet triaged', fresh.slice(0, 8).map(caseItem)));
    parts.push(
      block(
        'today-removals',
        'Removal requests due or overdue',
        removals.map(({ c, r, d }) =>
          item(
            `#/cases/${encodeURIComponent(c.id)}`,
            `${r.of_name || r.of_staff_id}: ${r.what}`,
            h('p', { class: 'meta' }, `Deadline ${when(r.deadline)} — `, h('span', { class: d.overdue || r.status === 'overdue' ? 'due overdue' : 'due' }, d.text)),
          ),
        ),
      ),
    );
    parts.push(block('today-escalated', 'Escalated to you', escalated.map(caseItem)));
    const others = open.filter((c) => c.status === 'investigating');
    parts.push(block('today-investigating', 'Being investigated', others.slice(0, 8).map(caseItem)));
    const urgent = fresh.length + overdue + escalated.length;
    out.push(
      h(
        'section',
        { class: `card today${overdue || fresh.some((c) => c.category === 'safeguarding') ? ' today-urgent' : ''}`, 'aria-labelledby': 'today-cases' },
        h('h2', { id: 'today-cases' }, 'Cases routed to you ', badge(String(open.length), urgent ? 'bad' : '')),
        h('p', { class: 'meta' }, 'Safeguarding first, then the most serious. ', h('a', { href: '#/cases' }, 'All cases')),
        parts,
      ),
    );
    needs += open.length;
  } else if (handled && !handled.ok) problems.push(failed('your cases', handled.err));

  // ---- policy to acknowledge
  if (policy?.ok) {
    const p = policy.value;
    if (p.needs_acknowledgement.length) {
      const items = p.needs_acknowledgement.map((v) => {
        const upcoming = p.upcoming.find((u) => u.id === v);
        return item('#/policy', `Read and acknowledge version ${v}`, h('p', { class: 'meta' }, upcoming?.effective_from ? `${p.title} — comes into effect ${when(upcoming.effective_from)}` : `${p.title} — the version in force`));
      });
      add(section('today-policy', 'Policy to acknowledge', items, { intro: 'Everyone who works for the trust must confirm they have read the current policy.' }), items.length);
    }
    if (can('manage_policy') && p.review) {
      const due = p.review.next_review_due;
      const soon = due && !p.review.overdue && new Date(due).getTime() - Date.now() < 60 * 86400_000;
      if (p.review.overdue || soon) {
        const text = p.review.overdue ? `overdue by ${p.review.days_overdue} day${p.review.days_overdue === 1 ? '' : 's'}` : dueText(due).text;
        add(
          section('today-review', 'Policy review', [item('#/policy', `The policy review is ${text}`, h('p', { class: 'meta' }, `Review due ${when(due)}. Record the review, or a new version, on the Policy page.`))], { urgent: p.review.overdue }),
          1,
        );
      }
    }
  } else if (policy && !policy.ok) problems.push(failed('the policy', policy.err));

  // ---- advice to give
  if (advice?.ok) {
    const waiting = advice.value.to_answer.filter((a) => a.status === 'open').sort((a, b) => a.created_at.localeCompare(b.created_at));
    if (waiting.length || onRoute('pre_post_advice')) {
      const items = waiting.map((a) => item(`#/advice/${encodeURIComponent(a.id)}`, a.question.length > 100 ? a.question.slice(0, 97) + '…' : a.question, h('p', { class: 'meta' }, `Asked by ${a.author_name ?? 'a colleague'} ${when(a.created_at)}`)));
      if (items.length) add(section('today-advice', 'Advice requests waiting for your answer', items, { intro: 'Staff asked before posting. They are waiting for you to answer.' }), items.length);
    }
  } else if (advice && !advice.ok) problems.push(failed('advice requests', advice.err));

  // ---- official posts
  if (approve?.ok && approve.value.posts.length) {
    const items = approve.value.posts.map((p) => item(`#/posts/${encodeURIComponent(p.id)}`, postTitle(p), h('p', { class: 'meta' }, `${p.author_name ?? p.author ?? ''} · ${postWhere(p)}`)));
    add(section('today-approve', 'Posts waiting for your approval', items, { intro: 'Nothing goes live until it is approved.', more: ['#/posts', 'All official posts'] }), items.length);
  } else if (approve && !approve.ok) problems.push(failed('posts to approve', approve.err));

  if (publish?.ok && publish.value.posts.length) {
    const items = publish.value.posts.map((p) => {
      if (p.status === 'removal_required') {
        return item(`#/posts/${encodeURIComponent(p.id)}`, postTitle(p), h('p', { class: 'meta' }, badge('Must be taken down', 'bad'), ` ${postWhere(p)}`));
      }
      const exp = p.approval?.expires_at;
      const d = exp ? dueText(exp) : null;
      return item(
        `#/posts/${encodeURIComponent(p.id)}`,
        postTitle(p),
        h('p', { class: 'meta' }, `Approved · ${postWhere(p)}`, d ? ' · approval ' : '', d ? h('span', { class: d.overdue || d.soon ? 'due overdue' : 'due' }, d.overdue ? 'has expired' : d.text.replace('due in', 'expires in')) : ''),
      );
    });
    const soon = publish.value.posts.filter((p) => p.status === 'removal_required' || (p.approval?.expires_at && dueText(p.approval.expires_at).soon)).length;
    add(section('today-publish', 'Posts to publish', items, { intro: 'Approved posts waiting to go live. An approval that is not used in time expires.', urgent: soon > 0, more: ['#/posts', 'All official posts'] }), items.length);
  } else if (publish && !publish.ok) problems.push(failed('posts to publish', publish.err));

  // ---- my own items with news
  const news: HTMLElement[] = [];
  if (myPosts?.ok) {
    for (const p of myPosts.value.posts) {
      const href = `#/posts/${encodeURIComponent(p.id)}`;
      if (p.status === 'changes_requested') news.push(item(href, postTitle(p), h('p', { class: 'meta' }, badge('Changes requested', 'warn'), ' Your post needs changes before it can be approved.')));
      else if (p.status === 'draft') news.push(item(href, postTitle(p), h('p', { class: 'meta' }, badge('Draft'), ' Not yet submitted.')));
      else if (p.status === 'rejected' && recent(p.updated_at ?? p.created_at)) news.push(item(href, postTitle(p), h('p', { class: 'meta' }, badge('Rejected', 'bad'))));
      else if (p.status === 'approved') news.push(item(href, postTitle(p), h('p', { class: 'meta' }, badge('Approved', 'ok'), ' Waiting to be published.')));
    }
  } else if (myPosts && !myPosts.ok) problems.push(failed('your posts', myPosts.err));
  if (advice?.ok) {
    for (const a of advice.value.mine) {
      if (a.status === 'answered' && recent(a.answer?.at)) {
        news.push(item(`#/advice/${encodeURIComponent(a.id)}`, a.question.length > 80 ? a.question.slice(0, 77) + '…' : a.question, h('p', { class: 'meta' }, badge('Answered', 'ok'), ` by ${a.answer?.by_name ?? 'your adviser'} ${when(a.answer?.at)}`)));
      }
    }
  }
  if (mine?.ok) {
    for (const c of mine.value.cases) {
      if (c.outcome && recent(c.outcome.at) && c.summary) {
        news.push(item(`#/cases/${encodeURIComponent(c.id)}`, c.summary, h('p', { class: 'meta' }, badge('Outcome ready', 'ok'), ` Your report was closed ${when(c.outcome.at)}.`)));
      }
    }
  }
  if (news.length) add(section('today-mine', 'Your items with news', news, { more: ['#/mine', 'All my items'] }), news.length);

  root.append(...problems.filter(Boolean).map((p) => p as HTMLElement));
  if (!needs) {
    root.appendChild(
      h(
        'div',
        { class: 'card empty today-empty', role: 'status' },
        h('p', null, h('strong', null, 'Nothing needs you today.')),
        h('p', null, 'When something does — a concern to look into, a post to approve, a question to answer — it will appear here.'),
      ),
    );
  }
  root.append(...out.filter(Boolean).map((x) => x as HTMLElement));
  root.appendChild(
    h(
      'p',
      { class: 'meta today-roles' },
      'Signed in as ',
      s.user.roles.map((r) => `${roleTitle(r.role)}${r.school ? ' at ' + schoolName(r.school) : ''}`).join('; ') || 'staff',
      '.',
    ),
  );
}
