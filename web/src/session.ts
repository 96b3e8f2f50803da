// Who is signed in, their trust, and what their roles let them do. Pages
// read this to decide what to show; the server decides what is allowed.
import { get } from './api';

export interface Role {
  role: string;
  school: string;
}
export interface User {
  id: number;
  username: string;
  display_name: string;
  staff_id: string;
  trust: string;
  roles: Role[];
}
export interface Trust {
  id: string;
  name: string;
  policy: { version: string; title: string; review_due: string };
  schools: Array<{ id: string; name: string }>;
  roles: Array<{ id: string; title: string }>;
  routes: Record<string, string[]>;
  official_posts: { available: boolean; why_not: string };
}
export interface Session {
  user: User;
  capabilities: Record<string, 'trust' | string[]>;
  trust: Trust;
}

let current: Session | null = null;
let clauses: Record<string, { text: string; kind: string; severity: string }> | null = null;

export function session(): Session {
  if (!current) throw new Error('not signed in');
  return current;
}
export function signedIn(): boolean {
  return current !== null;
}

export async function load(): Promise<Session> {
  const me = await get('/api/v1/me');
  const trust = await get<Trust>('/api/v1/trust');
  current = { user: me.user, capabilities: me.capabilities, trust };
  clauses = null;
  return current;
}
export function forget(): void {
  current = null;
  clauses = null;
}

export function can(cap: string): boolean {
  return Boolean(current?.capabilities[cap]);
}
export function hasRole(...roles: string[]): boolean {
  return Boolean(current?.user.roles.some((r) => roles.includes(r.role)));
}
// Whether the user holds a role that a pack route sends things to.
export function onRoute(...routes: string[]): boolean {
  if (!current) return false;
  return routes.some((name) => (current!.trust.routes[name] ?? []).some((role) => hasRole(role)));
}
// Whether cases may be routed to the user: the routes cases use
// (workflow/cases.cc RouteForCategory), their defaults, and the roles cases
// escalate to.
export function handlesCases(): boolean {
  if (!current) return false;
  const routes = ['safeguarding_report', 'misuse_report', 'disparaging_content_report', 'harassment_complaint', 'media_enquiry'];
  return onRoute(...routes) || hasRole('headteacher', 'dsl', 'ceo', 'chair', 'hr', 'head_of_hr');
}
export function schoolName(id: string): string {
  if (!id) return 'Whole trust';
  return current?.trust.schools.find((s) => s.id === id)?.name ?? id;
}
export function roleTitle(id: string): string {
  return current?.trust.roles.find((r) => r.id === id)?.title ?? id;
}

export async function clauseText(id: string): Promise<string> {
  if (!clauses) {
    try {
      clauses = (await get('/api/v1/clauses')).clauses;
    } catch {
      clauses = {};
    }
  }
  return clauses?.[id]?.text ?? '';
}
export async function allClauses(): Promise<Record<string, { text: string; kind: string; severity: string }>> {
  await clauseText('');
  return clauses ?? {};
}
