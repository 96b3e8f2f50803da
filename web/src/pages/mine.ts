import { h, pageHeading } from '../dom';

export function render(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'mine');
  root.appendChild(h('p', null, 'Coming soon.'));
}
export function renderAdvice(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'mine');
  root.appendChild(h('p', null, 'Coming soon.'));
}
