// The application shell: sign-in, the navigation each role sees, the hash
// router and the large-print setting. Pages live in pages/, one file each.
import { onSignedOut, post } from './api';
import { clear, h } from './dom';
import { showError } from './forms';
import * as S from './session';
import { routes, type Page } from './routes';
import { setRenderer } from './router';

const app = document.getElementById('app')!;

function shield(): HTMLElement {
  const img = h('img', { src: 'favicon.svg', alt: '', class: 'logo', width: '28', height: '28' });
  return img;
}

interface NavItem {
  href: string;
  text: string;
  show: () => boolean;
}
const nav: NavItem[] = [
  { href: '#/', text: 'Today', show: () => true },
  { href: '#/check', text: 'Check a post', show: () => true },
  { href: '#/contacts', text: 'Record a contact', show: () => true },
  { href: '#/concern', text: 'Report a concern', show: () => true },
  { href: '#/mine', text: 'My items', show: () => true },
  { href: '#/posts', text: 'Official posts', show: () => S.session().trust.official_posts.available },
  { href: '#/cases', text: 'Cases', show: () => S.handlesCases() },
  { href: '#/registers', text: 'Registers', show: () => S.can('read_staff') || S.can('read_pupils') || S.can('write_public') },
  { href: '#/policy', text: 'Policy', show: () => true },
  { href: '#/reports', text: 'Governors’ report', show: () => S.can('read_reports') },
];

function largePrint(on: boolean): void {
  document.documentElement.classList.toggle('large-print', on);
  try {
    localStorage.setItem('gh-large-print', on ? '1' : '0');
  } catch {
    // private mode: the setting lasts for this page only
  }
}

function match(hash: string): { page: Page; params: string[] } | null {
  const path = hash.replace(/^#/, '').split('?')[0] || '/';
  for (const [pattern, page] of routes) {
    const m = pattern.exec(path);
    if (m) return { page, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}

let main: HTMLElement | null = null;
let renders = 0; // route() calls so far
let navList: HTMLElement | null = null;

function shell(): void {
  const s = S.session();
  const lp = h('input', { type: 'checkbox', id: 'large-print', checked: document.documentElement.classList.contains('large-print') });
  lp.addEventListener('change', () => largePrint((lp as HTMLInputElement).checked));
  navList = h('ul', { class: 'nav' });
  for (const item of nav) {
    if (item.show()) navList.appendChild(h('li', null, h('a', { href: item.href }, item.text)));
  }
  const menu = h('button', { type: 'button', class: 'menu-button', 'aria-expanded': 'false', 'aria-controls': 'site-nav' }, 'Menu');
  const navEl = h('nav', { id: 'site-nav', 'aria-label': 'Main' }, navList);
  menu.addEventListener('click', () => {
    const open = menu.getAttribute('aria-expanded') !== 'true';
    menu.setAttribute('aria-expanded', String(open));
    navEl.classList.toggle('open', open);
  });
  main = h('main', { id: 'main' });
  clear(
    app,
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main?.querySelector<HTMLElement>('h1')?.focus(); } }, 'Skip to content'),
    h(
      'header',
      { class: 'top' },
      h('div', { class: 'brand' }, shield(), h('span', null, 'Gatehouse'), h('span', { class: 'trust' }, s.trust.name)),
      h(
        'div',
        { class: 'who' },
        h('span', { class: 'user' }, s.user.display_name || s.user.username, ' · ', s.user.roles.map((r) => S.roleTitle(r.role)).join(', ')),
        h('span', { class: 'lp' }, lp, h('label', { for: 'large-print' }, 'Large print')),
        h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
      ),
      menu,
    ),
    navEl,
    main,
  );
}

async function signOut(): Promise<void> {
  try {
    await post('/api/v1/logout');
  } catch {
    // signed out anyway
  }
  S.forget();
  location.hash = '#/';
  renderLogin();
}

function renderLogin(message?: string): void {
  document.title = 'Sign in · Gatehouse';
  const errors = h('div', { id: 'login-errors' });
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'login', novalidate: true },
    h('label', { for: 'username' }, 'Username'),
    user,
    h('label', { for: 'password' }, 'Password'),
    pass,
    submit,
  );
  user.id = 'username';
  pass.id = 'password';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await post('/api/v1/login', { username: user.value.trim(), password: pass.value });
      await S.load();
      shell();
      await route();
    } catch (err) {
      showError(errors, err, form);
    } finally {
      submit.disabled = false;
    }
  });
  clear(
    app,
    h(
      'main',
      { id: 'main', class: 'login-page' },
      h('h1', null, shield(), ' Gatehouse'),
      h('p', { class: 'intro' }, 'Your trust’s social media policy, day to day. Sign in with the account your school gave you.'),
      message ? h('div', { class: 'notice notice-info', role: 'status' }, message) : null,
      errors,
      form,
    ),
  );
  user.focus();
}

async function route(): Promise<void> {
  if (!S.signedIn() || !main) return;
  const found = match(location.hash);
  for (const a of navList?.querySelectorAll('a') ?? []) {
    const href = a.getAttribute('href') ?? '';
    const here = (location.hash || '#/').split('?')[0];
    const current = href === '#/' ? here === '#/' || here === '' || here === '#' : here === href || here.startsWith(href + '/');
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.getElementById('site-nav')?.classList.remove('open');
  document.querySelector('.menu-button')?.setAttribute('aria-expanded', 'false');
  // Each render gets its own container and number: a page still loading when
  // the reader moves on finishes into a container no longer shown, and only
  // the latest render may mark main done.
  const render = ++renders;
  const root = h('div', { class: 'page' });
  main.replaceChildren(root);
  main.setAttribute('aria-busy', 'true');
  // data-shown names the page main holds once it has rendered: tests and
  // assistive scripts can tell a finished page from one about to start.
  main.removeAttribute('data-shown');
  const shown = (location.hash || '#/').split('?')[0];
  try {
    if (!found) {
      root.appendChild(h('h1', { tabindex: '-1' }, 'Page not found'));
      root.appendChild(h('p', null, 'There is no page at this address. ', h('a', { href: '#/' }, 'Go to Today'), '.'));
      return;
    }
    await found.page(root, found.params);
  } catch (err) {
    const area = h('div');
    root.appendChild(area);
    showError(area, err);
  } finally {
    if (render === renders) {
      main.removeAttribute('aria-busy');
      if ((location.hash || '#/').split('?')[0] === shown) main.setAttribute('data-shown', shown);
    }
  }
}

async function start(): Promise<void> {
  try {
    if (localStorage.getItem('gh-large-print') === '1') document.documentElement.classList.add('large-print');
  } catch {
    // ignore
  }
  onSignedOut(() => {
    S.forget();
    renderLogin('Your session has ended. Please sign in again.');
  });
  setRenderer(() => void route());
  window.addEventListener('hashchange', () => void route());
  try {
    await S.load();
  } catch {
    renderLogin();
    return;
  }
  shell();
  await route();
}

void start();
