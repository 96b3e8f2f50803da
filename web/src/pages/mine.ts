// My items: what I have started and what came back. My official drafts, my
// questions before posting and their answers, the concerns I reported and
// their outcomes, removal requests made of me; and, for those on the advice
// route, the questions waiting for my answer.
import { get, post } from '../api';
import { badge, clear, field, h, humanise, notice, pageHeading, select, when } from '../dom';
import { busy, showError, showOk } from '../forms';
import { reload } from '../router';
import { renderScreening } from '../screening';
import * as S from '../session';

const decisions: Array<[string, string]> = [
  ['go_ahead', 'Go ahead: it is fine to post'],
  ['change_first', 'Change it first (say what)'],
  ['do_not_post', 'Do not post this'],
];
const decisionKind: Record<string, string> = { go_ahead: 'ok', change_first: 'warn', do_not_post: 'bad' };

function section(id: string, title: string, ...body: Array<Node | null>): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...body.filter(Boolean) as Node[]);
}
function empty(text: string): HTMLElement {
  return h('p', { class: 'meta' }, text);
}
async function safely(box: HTMLElement, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    const area = h('div');
    box.append(area);
    showError(area, err);
  }
}

export async function render(root: HTMLElement): Promise<void> {
  pageHeading(root, 'My items', 'Your questions, drafts and reports, and what happened to them.');
  const s = S.session();

  const toAnswer = section('mine-answer', 'Questions waiting for your answer');
  const asked = section('mine-advice', 'Questions you asked before posting');
  await safely(asked, async () => {
    const a = await get('/api/v1/advice');
    const ask: any[] = a.to_answer?.filter((x: any) => x.status === 'open') ?? [];
    if (ask.length) {
      toAnswer.append(
        h('ul', { class: 'list' }, ask.map((x) => h('li', null, h('a', { href: `#/advice/${encodeURIComponent(x.id)}` }, x.question), h('div', { class: 'meta' }, `${x.author_name || x.author} · ${when(x.created_at)}`)))),
      );
      root.append(toAnswer);
    }
    const mine: any[] = a.mine ?? [];
    asked.append(
      mine.length
        ? h('ul', { class: 'list' }, mine.reverse().map((x) =>
            h('li', null,
              h('a', { href: `#/advice/${encodeURIComponent(x.id)}` }, x.question), ' ',
              x.answer ? badge(humanise(x.answer.decision), decisionKind[x.answer.decision]) : badge(humanise(x.status)),
              h('div', { class: 'meta' }, `Asked ${when(x.created_at)}`, x.answer ? ` · answered by ${x.answer.by_name || x.answer.by} ${when(x.answer.at)}` : ''))))
        : empty('You have not asked anything yet. When you check a post you can ask before posting.'),
    );
  });
  root.append(asked);

  if (s.trust.official_posts.available) {
    const drafts = section('mine-posts', 'Your official posts');
    await safely(drafts, async () => {
      const r = await get('/api/v1/posts?queue=mine');
      const list: any[] = r.posts ?? [];
      drafts.append(
        list.length
          ? h('ul', { class: 'list' }, list.map((p) =>
              h('li', null, h('a', { href: `#/posts/${encodeURIComponent(p.id)}` }, excerpt(p.content?.text)), ' ', badge(humanise(p.status), statusKind(p.status)),
                h('div', { class: 'meta' }, `${p.account?.name ?? p.account?.id ?? ''} · ${when(p.created_at)}`))))
          : empty('No official posts drafted by you.'),
        h('p', null, h('a', { href: '#/posts/new', class: 'button' }, 'Draft an official post')),
      );
    });
    root.append(drafts);
  }

  const reports = section('mine-cases', 'Concerns you reported, and requests made of you');
  await safely(reports, async () => {
    const r = await get('/api/v1/cases?mine=true');
    const list: any[] = r.cases ?? [];
    reports.append(
      list.length
        ? h('ul', { class: 'list' }, list.reverse().map((c) =>
            h('li', null,
              h('strong', null, c.summary ?? humanise(c.category)), ' ', badge(humanise(c.status), c.status === 'closed' ? 'ok' : ''),
              h('div', { class: 'meta' }, `${c.id} · ${humanise(c.category)} · reported ${when(c.created_at)}`),
              c.outcome ? notice('ok', h('strong', null, 'Outcome: '), c.outcome.message || 'The case is closed.', ` (${when(c.outcome.at)})`) : null,
              ...(c.removal_requests ?? []).map((q: any) => removal(c, q)))))
        : empty('Nothing reported by you.'),
      h('p', null, h('a', { href: '#/concern' }, 'Report a concern')),
    );
  });
  root.append(reports);
}

function removal(c: any, q: any): HTMLElement {
  const overdue = !q.done_at && q.deadline && new Date(q.deadline) < new Date();
  return notice(
    q.done_at ? 'ok' : overdue ? 'error' : 'warn',
    h('strong', null, 'You are asked to remove: '), q.what,
    h('p', null, q.done_at ? `Done ${when(q.done_at)}.` : `By ${when(q.deadline)}${overdue ? ' (overdue)' : ''}. Tell the person handling ${c.id} once it is gone.`),
  );
}

function excerpt(text: string | undefined): string {
  const t = (text ?? '').trim();
  return t.length > 80 ? t.slice(0, 77) + '…' : t || '(no text)';
}
export function statusKind(status: string): string {
  return ({ approved: 'ok', published: 'ok', rejected: 'bad', removal_required: 'bad', changes_requested: 'warn', submitted: 'warn', expired: 'warn' } as Record<string, string>)[status] ?? '';
}

// One question asked before posting: the draft, what screening found, and
// the answer (or the form to answer it, for the people it was sent to).
export async function renderAdvice(root: HTMLElement, [id]: string[]): Promise<void> {
  const a = await get(`/api/v1/advice/${encodeURIComponent(id)}`);
  const me = S.session().user.username;
  pageHeading(root, 'Question before posting');
  root.append(
    h('p', { class: 'meta' }, `Asked by ${a.author_name || a.author} ${when(a.created_at)} · ${humanise(a.channel)} · ${a.platform || 'any platform'} · sent to ${(a.route ?? []).map((r: string) => S.roleTitle(r)).join(' or ')}`),
    h('div', { class: 'card' }, h('h2', null, 'The question'), h('p', null, a.question), a.draft_text ? [h('h3', null, 'The draft'), h('div', { class: 'highlighted' }, a.draft_text)] : null),
  );
  if (a.screening) root.append(await renderScreening(a.screening, a.draft_text, { heading: 'What Gatehouse found in the draft' }));
  const status = h('div');
  root.append(status);
  if (a.answer) {
    root.append(
      h('section', { class: 'card', 'aria-labelledby': 'answer-title' },
        h('h2', { id: 'answer-title' }, 'The answer'),
        h('p', null, badge(humanise(a.answer.decision), decisionKind[a.answer.decision])),
        h('p', null, a.answer.text),
        h('p', { class: 'meta' }, `${a.answer.by_name || a.answer.by}, ${when(a.answer.at)}`)),
    );
  } else if (a.status === 'open' && (a.answerers ?? []).includes(me) && a.author !== me) {
    const text = h('textarea', { name: 'answer', rows: 4 });
    const send = h('button', { type: 'submit', class: 'primary' }, 'Send answer');
    const form = h('form', { novalidate: true, class: 'card' }, h('h2', null, 'Your answer'), field('Decision', select('decision', decisions, 'go_ahead')), field('Answer', text, 'The person who asked is told by email and sees it here.'), h('div', { class: 'actions' }, send));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await busy(send, async () => {
        try {
          await post(`/api/v1/advice/${encodeURIComponent(id)}/answer`, { decision: (form.querySelector('[name=decision]') as HTMLSelectElement).value, answer: text.value.trim() });
          reload();
        } catch (err) {
          showError(status, err, form);
        }
      });
    });
    root.append(form);
  } else if (a.status === 'open' && a.author === me) {
    root.append(notice('info', 'Waiting for an answer. You will get an email when it comes.'),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: async (e: Event) => {
        if (!confirm('Withdraw this question?')) return;
        await busy(e.currentTarget as HTMLButtonElement, async () => {
          try {
            await post(`/api/v1/advice/${encodeURIComponent(id)}/withdraw`, {});
            showOk(status, 'Withdrawn.');
            reload();
          } catch (err) {
            showError(status, err);
          }
        });
      } }, 'Withdraw the question')));
  } else {
    root.append(notice('info', `This question is ${humanise(a.status).toLowerCase()}.`));
  }
  clear(status);
}
