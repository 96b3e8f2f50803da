import { h, pageHeading } from '../dom';

export function render(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'check');
  root.appendChild(h('p', null, 'Coming soon.'));
}
