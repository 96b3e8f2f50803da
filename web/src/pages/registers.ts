// The registers: the index of register kinds the caller may see, and one
// register's page with its records (search, school filter), a form to add,
// edit or delete a record, CSV export, and CSV import with a dry run first.
import { api, ApiError, get, qs, upload } from '../api';
import { button, clear, field, h, humanise, notice, pageHeading, select, uid, when } from '../dom';
import { busy, labelField, showError } from '../forms';
import { schoolName, session } from '../session';

interface FieldMeta {
  name: string;
  required: boolean;
  values?: string[];
  refers_to?: string;
  help?: string;
}
interface KindMeta {
  kind: string;
  title: string;
  key: string[];
  fields: FieldMeta[];
  can_read: boolean;
  can_write: boolean;
}
interface RecordRow {
  id: string;
  school: string | null;
  version: number;
  updated_at: string;
  updated_by: string;
  fields: Record<string, string>;
}
interface ImportError {
  file: string;
  line: number;
  column: string;
  message: string;
  text: string;
}
interface ImportReport {
  kind: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  dry_run: boolean;
  written: boolean;
  errors: ImportError[];
  more_errors: number;
  warnings: string[];
  error?: { code: string; message: string };
}

// What each register is for, in a line (the API gives titles and columns).
const ABOUT: Record<string, string> = {
  schools: 'The schools of the trust and the other names people use for them.',
  staff: 'Everyone who works for the trust, their role, school and line manager.',
  pupils: 'The pupil roster with photo and social media consent.',
  parents: 'Parents and carers, linked to their children.',
  relatives: 'Staff whose children or relatives are pupils of the trust.',
  consents: 'Each consent given or withdrawn, with where the signed form is kept.',
  sites: 'Websites and apps checked and approved for use with pupils.',
  hours: 'Working hours and breaks, used to flag posts made during lessons.',
  accounts: 'The official social media accounts and who runs them.',
  spokespeople: 'Staff authorised to speak for the trust, and until when.',
  training: 'Training completed by staff, and when it expires.',
  devices: 'Cameras and phones approved for taking photos of pupils.',
  permissions: 'Written permissions given to staff, such as using a personal device.',
};

// Which capability reads a register (the API reports can_read but not the
// access group, so the school filter works it out from the kind).
function readCap(kind: string): string {
  if (['pupils', 'parents', 'relatives', 'consents'].includes(kind)) return 'read_pupils';
  if (['staff', 'spokespeople', 'training', 'permissions'].includes(kind)) return 'read_staff';
  return 'read_public';
}

// The API does not give column types; these names are dates, yes/no, times.
const DATE_COLUMNS = new Set([
  'date_of_birth', 'left_on', 'on', 'checked_on', 'next_review', 'trained_on', 'expires_on',
  'completed_on', 'approved_on', 'granted_on',
]);
const YES_NO_COLUMNS = new Set(['spokesperson', 'photo_consent', 'social_media_consent', 'profile_texts_checked']);
const CLOCK_COLUMNS = new Set(['start', 'end']);

async function kinds(): Promise<KindMeta[]> {
  return (await get<{ registers: KindMeta[] }>('/api/v1/registers')).registers;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------- the index

export async function renderIndex(root: HTMLElement, _params: string[]): Promise<void> {
  pageHeading(
    root,
    'Registers',
    'The lists Gatehouse checks posts against: staff, pupils and their consents, approved sites and accounts. Keep them up to date here or import them from your management information system as CSV.',
  );
  const all = await kinds();
  const readable = all.filter((k) => k.can_read);
  if (!readable.length) {
    root.appendChild(notice('info', 'Your roles do not give access to any register. Ask your trust’s IT manager if you need one.'));
    return;
  }
  const editable = readable.filter((k) => k.can_write);
  const viewOnly = readable.filter((k) => !k.can_write);
  const card = (k: KindMeta) =>
    h(
      'li',
      { class: 'card register-card' },
      h('h3', null, h('a', { href: `#/registers/${k.kind}` }, k.title)),
      h('p', null, ABOUT[k.kind] ?? `${k.fields.length} columns.`),
      h('p', { class: 'meta' }, k.can_write ? 'You can view, edit and import.' : 'You can view and export.'),
    );
  if (editable.length) {
    root.appendChild(h('h2', null, 'Registers you can edit'));
    root.appendChild(h('ul', { class: 'cards register-cards' }, editable.map(card)));
  }
  if (viewOnly.length) {
    root.appendChild(h('h2', null, 'Registers you can view'));
    root.appendChild(h('ul', { class: 'cards register-cards' }, viewOnly.map(card)));
  }
  const hidden = all.length - readable.length;
  if (hidden) {
    root.appendChild(h('p', { class: 'meta' }, `${plural(hidden, 'other register')} ${hidden === 1 ? 'is' : 'are'} not shown because your roles do not cover ${hidden === 1 ? 'it' : 'them'}.`));
  }
}

// ------------------------------------------------------------- one register

interface State {
  meta: KindMeta;
  records: RecordRow[];
  school: string; // '' = all the caller's schools
  search: string;
}

export async function renderRegister(root: HTMLElement, params: string[]): Promise<void> {
  const kind = params[0] ?? '';
  const meta = (await kinds()).find((k) => k.kind === kind);
  if (!meta) {
    pageHeading(root, 'Register not found');
    root.appendChild(h('p', null, `There is no register called “${kind}”. `, h('a', { href: '#/registers' }, 'See all registers'), '.'));
    return;
  }
  pageHeading(root, meta.title, ABOUT[meta.kind]);
  root.appendChild(h('p', { class: 'meta' }, h('a', { href: '#/registers' }, '← All registers')));
  if (!meta.can_read) {
    root.appendChild(notice('info', `Your roles do not give access to the ${meta.title.toLowerCase()} register.`));
    return;
  }

  const st: State = { meta, records: [], school: '', search: '' };
  const schools = schoolChoices(meta.kind);

  const messages = h('div', { id: 'register-messages' });
  const editor = h('div', { id: 'register-editor' });
  const status = h('p', { class: 'register-count', role: 'status', 'aria-live': 'polite' });
  const tableArea = h('div', { id: 'register-table' });
  const exportLink = h('a', { class: 'button', href: '', download: `${meta.kind}.csv` }, 'Export as CSV');

  const searchBox = h('input', { type: 'search', name: 'q', autocomplete: 'off', spellcheck: 'false' });
  searchBox.addEventListener('input', () => {
    st.search = searchBox.value.trim();
    draw();
  });
  const controls: HTMLElement[] = [field('Search records', searchBox, 'Any part of a name, id or other value.')];
  if (schools.length > 1) {
    const sel = select('school', [['', 'All my schools'], ...schools.map((s): [string, string] => [s, schoolName(s)])]);
    sel.addEventListener('change', async () => {
      st.school = sel.value;
      await load();
    });
    controls.push(field('School', sel));
  }

  const toolbar = h('div', { class: 'actions register-actions' });
  if (meta.can_write) {
    toolbar.appendChild(button('Add a record', () => openEditor(null), 'primary'));
  }
  toolbar.appendChild(exportLink);

  root.append(
    messages,
    toolbar,
    editor,
    h('section', { 'aria-labelledby': 'records-h' }, h('h2', { id: 'records-h' }, 'Records'), h('form', { class: 'row register-filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() }, controls), status, tableArea),
  );
  if (meta.can_write) root.appendChild(importSection());
  else root.appendChild(h('p', { class: 'meta' }, 'You can view and export this register; changing it needs a role that may edit it.'));

  await load();

  async function load(): Promise<void> {
    tableArea.setAttribute('aria-busy', 'true');
    try {
      const out: RecordRow[] = [];
      let after = '';
      for (let page = 0; page < 50; page++) {
        const res = await get<{ records: RecordRow[]; next_after?: string }>(
          `/api/v1/registers/${meta!.kind}${qs({ limit: 1000, after, school: st.school })}`,
        );
        out.push(...res.records);
        if (!res.next_after) break;
        after = res.next_after;
      }
      st.records = out;
      exportLink.setAttribute('href', `/api/v1/registers/${meta!.kind}${qs({ format: 'csv', school: st.school })}`);
      draw();
    } catch (err) {
      showError(messages, err);
    } finally {
      tableArea.removeAttribute('aria-busy');
    }
  }

  function matches(r: RecordRow, q: string): boolean {
    if (!q) return true;
    const needle = q.toLowerCase();
    if (r.id.toLowerCase().includes(needle)) return true;
    if (r.school && schoolName(r.school).toLowerCase().includes(needle)) return true;
    return meta!.fields.some((f) => {
      const v = String(r.fields[f.name] ?? '');
      return v.toLowerCase().includes(needle) || display(f, v).toLowerCase().includes(needle);
    });
  }

  function draw(): void {
    const shown = st.records.filter((r) => matches(r, st.search));
    const total = st.records.length;
    const where = st.school ? ` at ${schoolName(st.school)}` : '';
    if (!total) {
      status.textContent = `No records${where} yet.`;
      clear(
        tableArea,
        h(
          'div',
          { class: 'card empty' },
          h('p', null, `No records${where} yet.`),
          meta!.can_write ? h('p', null, 'Add one with “Add a record”, or import a CSV file below.') : null,
        ),
      );
      return;
    }
    status.textContent = st.search
      ? `${plural(shown.length, 'record')} of ${total}${where} match “${st.search}”.`
      : `${plural(total, 'record')}${where}.`;
    if (!shown.length) {
      clear(tableArea, h('p', { class: 'card empty' }, `No records match “${st.search}”. Try a shorter or different search.`));
      return;
    }
    const limit = 500;
    const cols = meta!.fields;
    const rows = shown.slice(0, limit).map((r) =>
      h(
        'tr',
        null,
        meta!.can_write
          ? h('td', { class: 'row-actions' }, h('button', { type: 'button', class: 'small', 'aria-label': `Edit ${r.id}`, onclick: () => openEditor(r) }, 'Edit'))
          : null,
        cols.map((f, i) => {
          const text = display(f, r.fields[f.name] ?? '');
          const label = humanise(f.name);
          return i === 0
            ? h('th', { scope: 'row', 'data-label': label }, text)
            : h('td', { 'data-label': label, class: DATE_COLUMNS.has(f.name) ? 'nowrap' : null }, text);
        }),
      ),
    );
    const headers = [
      meta!.can_write ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null,
      cols.map((f) => h('th', { scope: 'col' }, humanise(f.name))),
    ];
    const tableId = uid('records');
    clear(
      tableArea,
      h(
        'div',
        { class: 'table-wrap', role: 'region', 'aria-labelledby': `${tableId}-cap`, tabindex: '0' },
        h(
          'table',
          { id: tableId, class: 'records' },
          h('caption', { id: `${tableId}-cap`, class: 'visually-hidden' }, `${meta!.title} records`),
          h('thead', null, h('tr', null, headers)),
          h('tbody', null, rows),
        ),
      ),
      shown.length > limit ? h('p', { class: 'meta' }, `The first ${limit} are shown; search to find others, or export the whole register.`) : null,
    );
  }

  // ---- add / edit / delete

  function openEditor(rec: RecordRow | null): void {
    const opener = document.activeElement as HTMLElement | null;
    const errors = h('div', { id: 'record-errors' });
    const form = h('form', { class: 'record-form', novalidate: true });
    const title = rec ? `Edit record ${rec.id}` : `Add a record`;
    const heading = h('h2', { tabindex: '-1', id: 'editor-h' }, title);
    for (const f of meta!.fields) form.appendChild(control(f, rec));
    const save = h('button', { type: 'submit', class: 'primary' }, rec ? 'Save changes' : 'Add record');
    const cancel = button('Cancel', () => close());
    const actions = h('div', { class: 'actions' }, save, cancel);
    const confirmArea = h('div');
    if (rec) actions.appendChild(button('Delete this record', () => confirmDelete(rec), 'danger'));
    form.append(actions, confirmArea);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const fields: Record<string, string> = {};
      for (const f of meta!.fields) {
        const el = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${f.name}"]`);
        if (el) fields[f.name] = el.value.trim();
      }
      const id = rec ? rec.id : idOf(fields);
      if (!id) {
        showError(errors, new ApiError(400, 'client', `${humanise(meta!.key[0])}: is required`, meta!.key[0]), form);
        return;
      }
      await busy(save, async () => {
        try {
          const body = rec ? { version: rec.version, fields } : { fields };
          const saved = await api<RecordRow>('PUT', `/api/v1/registers/${meta!.kind}/${encodeURIComponent(id)}`, body);
          const i = st.records.findIndex((r) => r.id === saved.id);
          if (i >= 0) st.records[i] = saved;
          else if (!st.school || saved.school === st.school) {
            st.records.push(saved);
            st.records.sort((a, b) => (a.id < b.id ? -1 : 1));
          }
          close(false);
          draw();
          done(`${rec ? 'Saved the changes to' : 'Added'} record ${saved.id}.`);
        } catch (err) {
          showError(errors, fieldError(err, form), form);
        }
      });
    });

    function confirmDelete(r: RecordRow): void {
      const yes = h('button', { type: 'button', class: 'danger' }, `Yes, delete ${r.id}`);
      const no = button('No, keep it', () => {
        clear(confirmArea);
        form.querySelector<HTMLButtonElement>('button.danger')?.focus();
      });
      yes.addEventListener('click', () =>
        busy(yes, async () => {
          try {
            await api('DELETE', `/api/v1/registers/${meta!.kind}/${encodeURIComponent(r.id)}${qs({ version: r.version })}`);
            st.records = st.records.filter((x) => x.id !== r.id);
            close(false);
            draw();
            done(`Deleted record ${r.id}.`);
          } catch (err) {
            showError(errors, err, form);
          }
        }),
      );
      const box = notice(
        'warn',
        h('strong', null, `Delete record ${r.id}?`),
        h('p', null, 'It is removed from the register straight away and Gatehouse stops checking posts against it. The audit trail keeps a note of the deletion.'),
        h('div', { class: 'actions' }, yes, no),
      );
      clear(confirmArea, box);
      yes.focus();
    }

    function close(restore = true): void {
      clear(editor);
      if (restore && opener && document.contains(opener)) opener.focus();
    }

    clear(
      editor,
      h(
        'section',
        { class: 'card editor', 'aria-labelledby': 'editor-h' },
        heading,
        h('p', { class: 'hint' }, rec ? `Version ${rec.version}, last changed ${when(rec.updated_at)} by ${rec.updated_by}.` : 'Fields marked “required” must be filled in.'),
        errors,
        form,
      ),
    );
    heading.focus();
  }

  function done(text: string): void {
    clear(messages, notice('ok', text));
    const box = messages.firstElementChild as HTMLElement;
    box.setAttribute('tabindex', '-1');
    box.focus();
  }

  function idOf(fields: Record<string, string>): string {
    const parts = meta!.key.map((k) => {
      const v = fields[k] ?? '';
      return k === 'domain' ? normaliseDomain(v) : v;
    });
    if (parts.every((p) => !p)) return '';
    return parts.join('|');
  }

  function control(f: FieldMeta, rec: RecordRow | null): HTMLElement {
    const current = rec?.fields[f.name] ?? '';
    const isKey = meta!.key.includes(f.name);
    let el: HTMLInputElement | HTMLSelectElement;
    if (f.values?.length) {
      const opts: Array<[string, string]> = f.values.map((v) => [v, humanise(v)]);
      el = select(f.name, f.required ? opts : [['', '(none)'], ...opts], current || (f.required ? f.values[0] : ''));
    } else if (f.refers_to === 'schools' && session().trust.schools.length) {
      const opts = session().trust.schools.map((x): [string, string] => [x.id, x.name]);
      if (current && !opts.some(([v]) => v === current)) opts.push([current, current]);
      el = select(f.name, f.required ? opts : [['', 'Whole trust (no school)'], ...opts], current || (f.required && opts.length === 1 ? opts[0][0] : ''));
      if (f.required && !current && opts.length > 1) el.insertBefore(h('option', { value: '', selected: true }, 'Choose a school'), el.firstChild);
    } else if (YES_NO_COLUMNS.has(f.name)) {
      el = select(f.name, [['', '(not recorded)'], ['yes', 'Yes'], ['no', 'No']], current);
    } else {
      const type = DATE_COLUMNS.has(f.name) ? 'date' : CLOCK_COLUMNS.has(f.name) && meta!.kind === 'hours' ? 'time' : f.name === 'email' ? 'email' : f.name === 'url' ? 'url' : 'text';
      el = h('input', { type, name: f.name, value: current, autocomplete: 'off' });
      if (type === 'email' || type === 'url') el.setAttribute('spellcheck', 'false');
    }
    el.name = f.name;
    if (f.required) el.setAttribute('aria-required', 'true');
    // The key names the record: changing it would make a different record.
    if (rec && isKey) {
      el.setAttribute('readonly', '');
      if (el instanceof HTMLSelectElement) el.disabled = true;
    }
    const hints: string[] = [];
    if (f.help) hints.push(humaniseHelp(f.help));
    if (f.refers_to && f.refers_to !== 'schools') hints.push(`An id from the ${f.refers_to} register.`);
    if (rec && isKey) hints.push('Part of the record’s id, so it cannot be changed; add a new record instead.');
    const label = `${humanise(f.name)}${f.required ? ' (required)' : ''}`;
    return field(label, el, hints.join(' ') || undefined);
  }

  // ---- CSV import

  function importSection(): HTMLElement {
    const sec = h('section', { class: 'card import', 'aria-labelledby': 'import-h' });
    const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
    const replace = h('input', { type: 'checkbox', name: 'replace', id: uid('replace') });
    const check = h('button', { type: 'submit', class: 'primary' }, 'Check the file');
    const progressLabel = uid('progress');
    const progress = h('progress', { max: '100', value: '0', 'aria-labelledby': progressLabel });
    const progressText = h('span', { id: progressLabel }, 'Upload progress');
    const progressBox = h('div', { class: 'upload-progress', hidden: true }, progressText, progress);
    const result = h('div', { class: 'import-result', 'aria-live': 'polite' });
    const errors = h('div', { id: 'import-errors' });
    const form = h(
      'form',
      { novalidate: true },
      field('CSV file', file, `The first line names the columns: ${meta!.fields.map((f) => f.name).join(', ')}. Save it from your spreadsheet as “CSV UTF-8”.`),
      h(
        'div',
        { class: 'choice' },
        replace,
        h(
          'label',
          { for: replace.id },
          h('strong', null, 'Replace the register with this file. '),
          'Records of your schools that are not in the file are deleted: use this for a full roster from your management information system, not for a few new rows.',
        ),
      ),
      h('div', { class: 'actions' }, check),
      progressBox,
    );
    const cols = meta!.fields.filter((f) => f.required).map((f) => f.name);
    sec.append(
      h('h2', { id: 'import-h' }, 'Import from a CSV file'),
      h(
        'p',
        { class: 'intro' },
        'Gatehouse first checks every row and shows you what would change. Nothing is written until you confirm, and if any row has a problem nothing is written at all: fix the rows and check the file again.',
      ),
      h('p', { class: 'hint' }, cols.length ? `Required columns: ${cols.join(', ')}. Rows with the same ${meta!.key.join(' and ')} as an existing record update it.` : `Rows with the same ${meta!.key.join(' and ')} as an existing record update it.`),
      errors,
      form,
      result,
    );

    let checkedText: string | null = null;
    file.addEventListener('change', () => {
      checkedText = null;
      clear(result);
      clear(errors);
    });
    replace.addEventListener('change', () => {
      checkedText = null;
      clear(result);
    });

    async function send(text: string, dryRun: boolean): Promise<{ status: number; body: ImportReport | null }> {
      progressBox.hidden = false;
      progress.value = 0;
      progressText.textContent = dryRun ? 'Uploading the file to check it' : 'Uploading the file to import it';
      const path = `/api/v1/registers/${meta!.kind}/import${qs({ dry_run: dryRun ? 'true' : 'false', replace: replace.checked ? 'true' : undefined })}`;
      const out = await uploadCsv(path, text, (sent, total) => {
        progress.value = total ? Math.round((sent / total) * 100) : 100;
      });
      progress.value = 100;
      progressText.textContent = 'Upload complete';
      return out;
    }

    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clear(errors);
      clear(result);
      const f = file.files?.[0];
      if (!f) {
        showError(errors, new ApiError(400, 'client', 'Choose a CSV file to check.', 'file'), form);
        return;
      }
      await busy(check, async () => {
        try {
          const text = await f.text();
          const { status, body } = await send(text, true);
          if (status === 422 && body?.errors) {
            showBadRows(body);
            return;
          }
          if (!body) throw new ApiError(status, 'empty', 'The server sent no report; nothing was changed.');
          checkedText = text;
          showDryRun(body, f.name);
        } catch (err) {
          showError(errors, err, form);
        }
      });
    });

    function showBadRows(r: ImportReport): void {
      const n = r.errors.length + r.more_errors;
      const rows = r.errors.map((e) =>
        h('tr', null, h('th', { scope: 'row' }, e.line ? `Line ${e.line}` : 'Whole file'), h('td', null, e.column || '—'), h('td', null, e.message)),
      );
      const box = notice(
        'error',
        h('strong', null, `${plural(n, 'row has a problem', 'rows have problems')}. Nothing has been imported.`),
        h('p', null, `The register is unchanged: Gatehouse imports all ${plural(r.rows, 'row')} or none. Fix the ${n === 1 ? 'row' : 'rows'} below in your spreadsheet (line 1 is the column names), save it as CSV and check the file again.`),
      );
      box.setAttribute('tabindex', '-1');
      clear(
        result,
        box,
        h(
          'div',
          { class: 'table-wrap', role: 'region', 'aria-labelledby': 'bad-rows-cap', tabindex: '0' },
          h(
            'table',
            { class: 'import-errors' },
            h('caption', { id: 'bad-rows-cap' }, 'Problems found in the file'),
            h('thead', null, h('tr', null, ['Line', 'Column', 'Problem'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, rows),
          ),
        ),
        r.more_errors ? h('p', { class: 'meta' }, `…and ${plural(r.more_errors, 'more problem')} not listed.`) : null,
        warnings(r),
      );
      box.focus();
    }

    function showDryRun(r: ImportReport, name: string): void {
      const changes = r.created + r.updated + r.deleted;
      const summary = h(
        'ul',
        { class: 'import-counts' },
        h('li', null, h('strong', null, String(r.created)), ' new'),
        h('li', null, h('strong', null, String(r.updated)), ' changed'),
        h('li', null, h('strong', null, String(r.unchanged)), ' unchanged'),
        replace.checked ? h('li', null, h('strong', null, String(r.deleted)), ' to be deleted (not in the file)') : null,
      );
      const go = h('button', { type: 'button', class: 'primary' }, changes ? `Import ${plural(r.rows, 'row')}` : 'Nothing to import');
      if (!changes) go.disabled = true;
      const again = button('Choose another file', () => {
        clear(result);
        file.value = '';
        file.focus();
      });
      const box = notice(
        'info',
        h('strong', null, `“${name}” is ready to import: all ${plural(r.rows, 'row')} passed the checks.`),
        h('p', null, changes ? 'Nothing has been written yet. This is what importing it will do:' : 'The register already holds exactly these records.'),
      );
      box.setAttribute('tabindex', '-1');
      clear(result, box, summary, r.deleted ? notice('warn', `${plural(r.deleted, 'record')} will be deleted because ${r.deleted === 1 ? 'it is' : 'they are'} not in the file.`) : null, warnings(r), h('div', { class: 'actions' }, go, again));
      box.focus();
      go.addEventListener('click', () =>
        busy(go, async () => {
          if (checkedText === null) return;
          try {
            const { status, body } = await send(checkedText, false);
            if (status === 422 && body?.errors) {
              showBadRows(body);
              return;
            }
            if (!body) throw new ApiError(status, 'empty', 'The server sent no report; nothing was changed.');
            checkedText = null;
            file.value = '';
            const ok = notice(
              'ok',
              h('strong', null, `Imported “${name}”. `),
              `${body.created} new, ${body.updated} changed, ${body.unchanged} unchanged${body.deleted ? `, ${body.deleted} deleted` : ''}.`,
            );
            ok.setAttribute('tabindex', '-1');
            clear(result, ok);
            ok.focus();
            await load();
          } catch (err) {
            showError(errors, err, form);
          }
        }),
      );
    }

    function warnings(r: ImportReport): HTMLElement | null {
      if (!r.warnings?.length) return null;
      return notice('warn', h('strong', null, 'Warnings'), h('ul', null, r.warnings.map((w) => h('li', null, w))));
    }

    return sec;
  }
}

// A value as the table shows it: dates in words, choices capitalised,
// schools by name.
function display(f: FieldMeta, v: string): string {
  if (!v) return '';
  if (f.name === 'school') return schoolName(v);
  if (DATE_COLUMNS.has(f.name)) return when(v);
  if (f.values?.length || YES_NO_COLUMNS.has(f.name)) return humanise(v);
  return v;
}

// The schools a multi-school user can filter by (one school: no filter).
function schoolChoices(kind: string): string[] {
  const s = session();
  const scope = s.capabilities[readCap(kind)];
  if (scope === 'trust') return s.trust.schools.map((x) => x.id);
  return Array.isArray(scope) ? scope.filter(Boolean) : [];
}

// A key that gives another id than the path names no one control.
function fieldError(err: unknown, form: HTMLElement): unknown {
  if (err instanceof ApiError && err.field === 'id') return new ApiError(err.status, err.code, err.message, '', err.details);
  return labelField(err, form);
}

function humaniseHelp(help: string): string {
  const s = help.charAt(0).toUpperCase() + help.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function normaliseDomain(v: string): string {
  let d = v.trim().toLowerCase();
  for (const scheme of ['https://', 'http://']) if (d.startsWith(scheme)) d = d.slice(scheme.length);
  const slash = d.indexOf('/');
  if (slash >= 0) d = d.slice(0, slash);
  if (d.startsWith('www.')) d = d.slice(4);
  return d.replace(/\.+$/, '');
}

// api.ts upload(), except that a 422 with per-row errors is an answer (the
// rows to show), not a failure to show as one message.
async function uploadCsv(path: string, text: string, onProgress: (sent: number, total: number) => void): Promise<{ status: number; body: ImportReport | null }> {
  try {
    return { status: 200, body: await upload(path, text, 'text/csv; charset=utf-8', onProgress) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 422 && err.details?.errors) return { status: 422, body: err.details };
    throw err;
  }
}
