// Navigation helpers for pages (the shell in main.ts does the routing).
let rerender: () => void = () => undefined;
export function setRenderer(fn: () => void): void {
  rerender = fn;
}
export function go(hash: string): void {
  if (location.hash === hash) rerender();
  else location.hash = hash;
}
// Renders the current page again (after an action changed what it shows).
export function reload(): void {
  rerender();
}
export function query(): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}
