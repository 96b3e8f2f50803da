// Every page of the application and the address it lives at.
import * as cases from './pages/cases';
import * as check from './pages/check';
import * as concern from './pages/concern';
import * as contacts from './pages/contacts';
import * as home from './pages/home';
import * as mine from './pages/mine';
import * as policy from './pages/policy';
import * as posts from './pages/posts';
import * as registers from './pages/registers';
import * as reports from './pages/reports';

export type Page = (root: HTMLElement, params: string[]) => Promise<void> | void;

export const routes: Array<[RegExp, Page]> = [
  [/^\/$/, home.render],
  [/^\/check$/, check.render],
  [/^\/contacts$/, contacts.render],
  [/^\/concern$/, concern.render],
  [/^\/mine$/, mine.render],
  [/^\/advice\/([^/]+)$/, mine.renderAdvice],
  [/^\/posts$/, posts.renderQueues],
  [/^\/posts\/new$/, posts.renderNew],
  [/^\/posts\/([^/]+)$/, posts.renderPost],
  [/^\/cases$/, cases.renderList],
  [/^\/cases\/([^/]+)$/, cases.renderCase],
  [/^\/registers$/, registers.renderIndex],
  [/^\/registers\/([a-z_]+)$/, registers.renderRegister],
  [/^\/policy$/, policy.render],
  [/^\/reports$/, reports.render],
];
