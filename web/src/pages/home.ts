import { h, pageHeading } from '../dom';

export function render(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'home');
  root.appendChild(h('p', null, 'Coming soon.'));
}
