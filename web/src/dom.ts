// A small DOM builder and the widgets every page uses. No framework: pages
// build elements with h() and replace what changes; everything is text, never
// HTML, so API data cannot inject markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as Handler);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (key === 'style') {
      // Through the CSSOM: the Content-Security-Policy forbids style attributes.
      el.style.cssText = String(value);
    } else if (key === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(value);
    } else if (key === 'checked' && 'checked' in el) {
      (el as HTMLInputElement).checked = Boolean(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let nextId = 0;
export function uid(prefix = 'f'): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

// A labelled form control. `control` gets an id, the label points at it, and
// the hint is announced with it.
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid();
  control.id = id;
  const parts: Child[] = [h('label', { for: id }, label)];
  if (hint) {
    const hid = `${id}-hint`;
    control.setAttribute('aria-describedby', hid);
    parts.push(h('p', { class: 'hint', id: hid }, hint));
  }
  parts.push(control);
  return h('div', { class: 'field' }, parts);
}

export function select(name: string, options: Array<[string, string]>, value?: string): HTMLSelectElement {
  const s = h('select', { name });
  for (const [v, text] of options) s.appendChild(h('option', { value: v, selected: v === value }, text));
  return s;
}

export function button(text: string, onclick: (ev: Event) => void, cls = ''): HTMLButtonElement {
  return h('button', { type: 'button', class: cls, onclick }, text);
}

// A message in a live region: screen readers announce it.
export function notice(kind: 'error' | 'ok' | 'info' | 'warn', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, children);
}

export function table(headers: string[], rows: Child[][], caption?: string): HTMLElement {
  // A region that scrolls sideways on narrow screens: focusable, so keyboard
  // users can scroll it too.
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption ?? headers.slice(0, 3).join(', ') },
    h(
      'table',
      null,
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, headers.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))),
    ),
  );
}

export function badge(text: string, kind = ''): HTMLElement {
  return h('span', { class: `badge ${kind ? `badge-${kind}` : ''}` }, text);
}

// "2026-11-22T10:15:00Z" -> "22 Nov 2026, 10:15" in the reader's locale.
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  return dateOnly
    ? d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
    : d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function humanise(id: string): string {
  const s = id.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Sets the page heading and title, and moves focus there so that keyboard and
// screen-reader users start at the new page.
export function pageHeading(root: HTMLElement, title: string, intro?: string): HTMLElement {
  document.title = `${title} · Gatehouse`;
  const h1 = h('h1', { tabindex: '-1' }, title);
  root.appendChild(h1);
  if (intro) root.appendChild(h('p', { class: 'intro' }, intro));
  h1.focus({ preventScroll: false });
  return h1;
}
