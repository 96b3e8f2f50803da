// Reading registers for pickers (accounts, devices, pupils): every page of
// records the caller may see, as plain objects.
import { get } from './api';

export interface RecordRow {
  id: string;
  school: string | null;
  version: number;
  fields: Record<string, string>;
}

export async function records(kind: string, school = ''): Promise<RecordRow[]> {
  const out: RecordRow[] = [];
  let after = '';
  for (let i = 0; i < 50; i += 1) {
    const p = new URLSearchParams({ limit: '1000' });
    if (after) p.set('after', after);
    if (school) p.set('school', school);
    const r = await get(`/api/v1/registers/${kind}?${p}`);
    out.push(...(r.records ?? []));
    if (!r.next_after) break;
    after = r.next_after;
  }
  return out;
}
