// Screening results as people read them: the text with each finding's words
// highlighted, and per finding the clauses with their wording and what to do
// next. Used by "Check a post", official drafts and recorded contacts.
import { badge, h, type Child } from './dom';
import * as S from './session';

export interface Evidence {
  start: number;
  end: number;
  text: string;
  field?: string;
  box?: { x: number; y: number; w: number; h: number }; // where in the image (media fields)
}
export interface Finding {
  rule: string;
  clauses: string[];
  severity: string;
  verdict: string;
  message: string;
  evidence: Evidence[];
  report_to: string[];
  // Present when the trained text classifier took part (docs/accuracy.md).
  score?: {
    category: string;
    value: number;
    review_at: number;
    block_at: number;
    words: (Evidence & { weight: number })[];
  };
}
// "“Jo Bloggs” in image 1 at 300,200" for words read in a picture.
function evidenceLabel(e: Evidence): string {
  const image = /^media\[(\d+)\]/.exec(e.field ?? '');
  let label = `“${e.text}”`;
  if (image) label += ` in image ${Number(image[1]) + 1}`;
  if (e.box) label += ` at ${e.box.x},${e.box.y} (${e.box.w}×${e.box.h} px)`;
  return label;
}

export interface Screening {
  verdict: string;
  findings: Finding[];
}

const verdictWords: Record<string, [string, string]> = {
  allow: ['Nothing found', 'Gatehouse found nothing in this that the policy forbids. You are still responsible for what you post.'],
  review: ['Check before posting', 'Something here needs a person’s judgement. Change it, or ask before you post.'],
  block: ['Do not post this', 'This breaks the policy as written. Change it before it goes anywhere.'],
};

// The classifier's part in a finding: its score against the trust's
// thresholds, and the words that weighed most.
function scoreLine(s: NonNullable<Finding['score']>): HTMLElement {
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return h(
    'p',
    { class: 'meta classifier' },
    `Text classifier: ${s.category} ${pct(s.value)} (a person reviews from ${pct(s.review_at)}, blocked from ${pct(s.block_at)})`,
    s.words.length ? [' · words that weighed most: ', s.words.map((w) => `“${w.text}”`).join(', ')] : null,
  );
}

export function verdictBadge(v: string): HTMLElement {
  return badge(verdictWords[v]?.[0] ?? v, v);
}

// Evidence offsets are Unicode code points; JavaScript strings index UTF-16.
function highlighted(text: string, findings: Finding[]): HTMLElement {
  const cps = Array.from(text);
  const marks: Array<{ start: number; end: number; n: number; verdict: string }> = [];
  findings.forEach((f, i) => {
    for (const e of f.evidence ?? []) {
      if ((e.field && e.field !== 'text') || e.end <= e.start || e.end > cps.length) continue;
      marks.push({ start: e.start, end: e.end, n: i + 1, verdict: f.verdict });
    }
  });
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  const out = h('div', { class: 'highlighted', 'aria-label': 'Your text, with what was found highlighted' });
  let at = 0;
  for (const m of marks) {
    if (m.start < at) continue; // overlapping: the first one shown wins
    if (m.start > at) out.append(cps.slice(at, m.start).join(''));
    out.append(
      h('mark', { class: m.verdict === 'block' ? 'block' : 'review' }, cps.slice(m.start, m.end).join('')),
      h('sup', null, h('a', { href: `#finding-${m.n}`, 'aria-label': `finding ${m.n}`, onclick: jump(m.n) }, `[${m.n}]`)),
    );
    at = m.end;
  }
  if (at < cps.length) out.append(cps.slice(at).join(''));
  return out;
}

function jump(n: number) {
  return (e: Event) => {
    e.preventDefault();
    const el = document.getElementById(`finding-${n}`);
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  };
}

function nextStep(f: Finding): Child {
  const who = f.report_to.map((r) => S.roleTitle(r)).join(' or ');
  if (f.severity === 'safeguarding') {
    return ['This is a safeguarding matter. ', who ? `Tell ${who} today. ` : '', h('a', { href: '#/concern' }, 'Report a concern'), '.'];
  }
  if (f.verdict === 'block') return ['Do not post this. Remove or rewrite the highlighted words.', who ? ` If it has already been posted, tell ${who}.` : ''];
  if (f.verdict === 'review') return ['Change the highlighted words, or ask ', who || 'your Headteacher', ' before posting.'];
  return 'No action needed.';
}

export async function renderScreening(s: Screening, text: string, opts: { heading?: string } = {}): Promise<HTMLElement> {
  const [title, explain] = verdictWords[s.verdict] ?? [s.verdict, ''];
  const box = h(
    'section',
    { class: 'screening', 'aria-labelledby': 'screening-title' },
    h('h2', { id: 'screening-title' }, opts.heading ?? 'Result'),
    h('div', { class: `notice ${s.verdict === 'allow' ? 'notice-ok' : s.verdict === 'block' ? 'notice-error' : 'notice-warn'}`, role: 'status' },
      h('p', { class: 'verdict' }, title), h('p', null, explain)),
  );
  if (text && s.findings.some((f) => f.evidence?.length)) box.append(highlighted(text, s.findings));
  let n = 0;
  for (const f of s.findings) {
    n += 1;
    const clauses = await Promise.all(
      f.clauses.map(async (id) => {
        const wording = await S.clauseText(id);
        return h('div', { class: 'clause' }, h('strong', null, id), wording ? [': ', h('q', null, wording)] : null);
      }),
    );
    box.append(
      h(
        'article',
        { class: `card finding ${f.verdict}`, id: `finding-${n}`, tabindex: '-1', 'aria-labelledby': `finding-${n}-title` },
        h('h3', { id: `finding-${n}-title` }, `${n}. ${f.message}`),
        h('p', { class: 'meta' }, verdictBadge(f.verdict), ' ', badge(f.severity.replace(/_/g, ' '), f.severity === 'safeguarding' ? 'safeguarding' : ''),
          f.evidence?.some((e) => e.text) ? [' Found: ', f.evidence.filter((e) => e.text).map(evidenceLabel).join(', ')] : null),
        f.score ? scoreLine(f.score) : null,
        h('p', { class: 'next' }, 'What to do: ', nextStep(f)),
        clauses.length ? h('div', null, h('p', { class: 'meta' }, f.clauses.length > 1 ? 'The policy’s clauses:' : 'The policy’s clause:'), clauses) : null,
      ),
    );
  }
  return box;
}
