import { h, pageHeading } from '../dom';

export function renderList(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'cases');
  root.appendChild(h('p', null, 'Coming soon.'));
}
export function renderCase(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'cases');
  root.appendChild(h('p', null, 'Coming soon.'));
}
