import { h, pageHeading } from '../dom';

export function renderQueues(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'posts');
  root.appendChild(h('p', null, 'Coming soon.'));
}
export function renderNew(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'posts');
  root.appendChild(h('p', null, 'Coming soon.'));
}
export function renderPost(root: HTMLElement, _params: string[]): void {
  pageHeading(root, 'posts');
  root.appendChild(h('p', null, 'Coming soon.'));
}
