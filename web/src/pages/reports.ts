// The governors' report: a date range, the headline numbers, and charts drawn
// as inline SVG, each with a text alternative and the same numbers as a table
// beside it. The CSV and the printable HTML come from the same API.
import { ApiError, get, qs } from '../api';
import { badge, clear, field, h, humanise, pageHeading, uid, when } from '../dom';
import { busy, showError } from '../forms';
import { query } from '../router';
import { schoolName, session } from '../session';

interface Report {
  trust: string;
  from: string;
  to: string;
  generated_at: string;
  cases: {
    opened: number;
    by_category: Record<string, number>;
    by_outcome: Record<string, number>;
    by_status: Record<string, number>;
    time_to_resolve: { closed: number; median_days?: number; max_days?: number };
  };
  removal_requests: { total: number; overdue: number };
  policy: {
    current_version: string | null;
    review: { cycle_months: number; next_review_due: string; overdue: boolean; days_overdue: number } | null;
  };
  acknowledgements: { staff: number; acknowledged: number; rate: number; version: string; schools: Array<{ school: string; staff: number; acknowledged: number; rate: number }> } | null;
  official_posts: Record<string, number>;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function days(n: number | undefined): string {
  if (n === undefined) return '—';
  const r = Math.round(n * 10) / 10;
  return `${r} ${r === 1 ? 'day' : 'days'}`;
}
function pct(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

export async function render(root: HTMLElement, _params: string[]): Promise<void> {
  const scope = session().capabilities.read_reports;
  const covers = scope === 'trust' ? 'the whole trust' : Array.isArray(scope) ? scope.map(schoolName).join(', ') : '';
  pageHeading(
    root,
    'Governors’ report',
    `How the social media policy is working, for governors and trustees: counts only, no names or case details. It covers ${covers || 'the schools you can see'}.`,
  );
  const q = query();
  const errors = h('div', { id: 'report-errors' });
  const from = h('input', { type: 'date', name: 'from', value: q.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: q.get('to') ?? '' });
  const show = h('button', { type: 'submit', class: 'primary' }, 'Show the report');
  const form = h(
    'form',
    { class: 'report-range', novalidate: true },
    h('div', { class: 'row' }, field('From', from, 'The first day of the period.'), field('To', to, 'The last day; empty for today.')),
    h('div', { class: 'actions' }, show),
  );
  const downloads = h('div', { class: 'actions report-downloads' });
  const out = h('div', { class: 'report', 'aria-live': 'polite' });
  root.append(errors, form, downloads, out);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (from.value && to.value && from.value > to.value) {
      showError(errors, new ApiError(400, 'client', 'From: must be on or before the “To” date.', 'from'), form);
      return;
    }
    await busy(show, () => load(true));
  });
  await load(false);

  async function load(announce: boolean): Promise<void> {
    out.setAttribute('aria-busy', 'true');
    try {
      const range = { from: from.value, to: to.value };
      const r = await get<Report>(`/api/v1/reports/governors${qs(range)}`);
      clear(errors);
      from.value = r.from;
      to.value = r.to;
      // Keep the address shareable without re-rendering the page.
      history.replaceState(null, '', `#/reports${qs({ from: r.from, to: r.to })}`);
      const base = `/api/v1/reports/governors${qs({ from: r.from, to: r.to })}`;
      clear(
        downloads,
        h('a', { class: 'button', href: `${base}&format=csv`, download: `governors-report-${r.from}-to-${r.to}.csv` }, 'Download as CSV'),
        h('a', { class: 'button', href: `${base}&format=html`, target: '_blank', rel: 'noopener' }, 'Printable version', h('span', { class: 'visually-hidden' }, ' (opens in a new tab)')),
      );
      draw(r);
      if (announce) out.querySelector<HTMLElement>('h2')?.focus();
    } catch (err) {
      showError(errors, err, form);
    } finally {
      out.removeAttribute('aria-busy');
    }
  }

  function draw(r: Report): void {
    const c = r.cases;
    const t = c.time_to_resolve;
    const review = r.policy.review;
    const acks = r.acknowledgements;
    const headline = h(
      'div',
      { class: 'cards report-headlines' },
      stat('Concerns reported', String(c.opened), `${t.closed} closed in the period`),
      stat('Median time to resolve', t.closed ? days(t.median_days) : '—', t.closed ? `Longest: ${days(t.max_days)}` : 'No cases closed in the period'),
      stat(
        'Removal requests',
        String(r.removal_requests.total),
        r.removal_requests.overdue ? badge(`${r.removal_requests.overdue} overdue`, 'bad') : 'None overdue',
      ),
      stat('Staff acknowledgement', acks ? pct(acks.rate) : '—', acks ? `${acks.acknowledged} of ${acks.staff} staff, version ${r.policy.current_version ?? acks.version}` : 'No version in effect'),
      stat(
        'Policy review',
        review ? when(review.next_review_due) : '—',
        review ? (review.overdue ? badge(`Overdue by ${review.days_overdue} days`, 'bad') : badge('On schedule', 'ok')) : 'No version in effect',
        r.policy.current_version ? `Version ${r.policy.current_version} in effect` : undefined,
      ),
    );
    const heading = h('h2', { tabindex: '-1' }, `${when(r.from)} to ${when(r.to)}`);
    clear(
      out,
      heading,
      h('p', { class: 'meta' }, `${r.trust}. Generated ${when(r.generated_at)}.`),
      headline,
      chartSection('Concerns by category', 'Category', c.by_category, 'No concerns were reported in this period.'),
      chartSection('Concerns by current status', 'Status', c.by_status, 'No concerns were reported in this period.'),
      chartSection('Outcomes of closed concerns', 'Outcome', c.by_outcome, 'No concerns were closed with an outcome in this period.'),
      chartSection('Official posts by state', 'State', r.official_posts, 'No official posts yet.'),
      acks
        ? chartSection(
            `Acknowledgement of version ${r.policy.current_version ?? acks.version} by school`,
            'School',
            Object.fromEntries(acks.schools.map((s) => [s.school === '(trust)' ? 'Central trust staff' : schoolName(s.school), s.rate])),
            'No staff accounts in these schools yet.',
            true,
            Object.fromEntries(acks.schools.map((s) => [s.school === '(trust)' ? 'Central trust staff' : schoolName(s.school), `${s.acknowledged} of ${s.staff}`])),
          )
        : null,
    );
  }
}

function stat(label: string, value: string, note: Node | string, extra?: string): HTMLElement {
  return h('div', { class: 'card' }, h('p', { class: 'meta' }, label), h('p', { class: 'stat' }, value), h('p', null, note), extra ? h('p', { class: 'meta' }, extra) : null);
}

// One chart: the SVG and a table of the same numbers side by side (stacked on
// a phone). Labels are humanised ids unless `raw` (already names).
function chartSection(title: string, what: string, data: Record<string, number>, empty: string, percent = false, extra?: Record<string, string>): HTMLElement {
  const id = uid('chart');
  const sec = h('section', { class: 'report-chart', 'aria-labelledby': `${id}-h` }, h('h3', { id: `${id}-h` }, title));
  const entries = Object.entries(data).map(([k, v]): [string, number] => [percent ? k : humanise(k || 'unknown'), Number(v) || 0]);
  if (!entries.length) {
    sec.appendChild(h('p', { class: 'meta' }, empty));
    return sec;
  }
  if (!percent) entries.sort((a, b) => b[1] - a[1]);
  const fmt = (v: number) => (percent ? pct(v) : String(v));
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h('caption', { class: 'visually-hidden' }, `${title}: the numbers in the chart`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, what), h('th', { scope: 'col' }, percent ? 'Rate' : 'Number'), extra ? h('th', { scope: 'col' }, 'Staff') : null)),
      h('tbody', null, entries.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, fmt(v)), extra ? h('td', null, extra[k] ?? '') : null))),
    ),
  );
  sec.appendChild(h('div', { class: 'chart-pair' }, barChart(title, entries, percent, fmt), table));
  return sec;
}

function barChart(title: string, entries: Array<[string, number]>, percent: boolean, fmt: (v: number) => string): SVGSVGElement {
  // Narrow on purpose, each label above its bar, so that the text stays
  // readable when the chart shrinks to a phone's width.
  const width = 400;
  const left = 12;
  const barMax = 300;
  const rowH = 52;
  const top = 6;
  const height = top * 2 + rowH * entries.length;
  const max = percent ? 1 : Math.max(1, ...entries.map(([, v]) => v));
  const summary = entries.map(([k, v]) => `${k}: ${fmt(v)}`).join('; ');
  const tid = uid('svg-title');
  const did = uid('svg-desc');
  const s = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${tid} ${did}`, class: 'chart bar-chart', preserveAspectRatio: 'xMinYMin meet' });
  s.append(svg('title', { id: tid }, title), svg('desc', { id: did }, summary));
  entries.forEach(([label, v], i) => {
    const y = top + i * rowH;
    const w = Math.max(v > 0 ? 2 : 0, Math.round((barMax * v) / max));
    const text = label.length > 44 ? `${label.slice(0, 43)}…` : label;
    s.appendChild(svg('text', { x: left, y: y + 18, class: 'label' }, text));
    if (percent) s.appendChild(svg('rect', { x: left, y: y + 26, width: barMax, height: 18, class: 'track' }));
    s.appendChild(svg('rect', { x: left, y: y + 26, width: w, height: 18, class: 'bar' }));
    s.appendChild(svg('text', { x: left + (percent ? barMax : w) + 8, y: y + 41, class: 'value' }, fmt(v)));
  });
  return s;
}
