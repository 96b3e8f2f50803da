import { h, pageHeading } from '../dom';

export function render(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'contacts');
  root.appendChild(h('p', null, 'Coming soon.'));
}
