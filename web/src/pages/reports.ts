import { h, pageHeading } from '../dom';

export function render(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'reports');
  root.appendChild(h('p', null, 'Coming soon.'));
}
