import { h, pageHeading } from '../dom';

export function renderIndex(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'registers');
  root.appendChild(h('p', null, 'Coming soon.'));
}
export function renderRegister(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'registers');
  root.appendChild(h('p', null, 'Coming soon.'));
}
