// Errors shown where they happened: the server's message in an alert at the
// top of the form, and the field it names marked invalid and described by it.
import { ApiError } from './api';
import { clear, h, humanise, notice } from './dom';

// The form control a server error is about: its `field`, or the name the
// workflow API puts at the start of its message ("deadline: is in the
// past"); "fields.<column>" (registers) names the column.
function namedControl(e: ApiError): string {
  const named = e.field || (/^([a-z_]+(?:\.[a-z_]+)*(?:\[\d+\])?)(?:\.[a-z_]+)*: /.exec(e.message)?.[1] ?? '');
  const parts = named.replace(/\[\d+\].*$/, '').split('.');
  return parts[0] === 'fields' && parts[1] ? parts[1] : parts[0];
}

// The error with the field named in words at the start of its message
// ("fields.first_name: is required" -> "First name: is required"), when the
// form has a control by that name.
export function labelField(err: unknown, form: HTMLElement): unknown {
  if (!(err instanceof ApiError)) return err;
  const name = namedControl(err);
  const prefix = /^[a-z_.]+(?:\[\d+\])?(?:\.[a-z_]+)*: /.exec(err.message);
  if (!name || !prefix || !form.querySelector(`[name="${CSS.escape(name)}"]`)) return err;
  return new ApiError(err.status, err.code, `${humanise(name)}: ${err.message.slice(prefix[0].length)}`, name, err.details);
}

export function showError(area: HTMLElement, err: unknown, form?: HTMLElement): void {
  const e = err instanceof ApiError ? err : new ApiError(0, 'client', err instanceof Error ? err.message : String(err));
  form?.querySelectorAll('[aria-invalid="true"]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-errormessage');
  });
  const title = e.status === 403 ? 'Not allowed' : e.status === 404 ? 'Not found' : e.status === 409 ? 'Changed by someone else' : e.status === 0 ? 'No connection' : e.status >= 500 ? 'Server problem' : 'Please check';
  const box = notice('error', h('strong', null, `${title}: `), e.message);
  box.id = `${area.id || 'err'}-msg`;
  if (e.status === 409) box.appendChild(h('p', null, 'Reload the page to see the latest version, then try again.'));
  clear(area, box);
  const name = namedControl(e);
  if (form && name) {
    const target = form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`);
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-errormessage', box.id);
      target.focus();
      return;
    }
  }
  box.setAttribute('tabindex', '-1');
  box.focus();
}

export function showOk(area: HTMLElement, ...text: Array<string | Node>): void {
  clear(area, notice('ok', ...text));
}

// Runs an action with its button disabled and busy, so it cannot be sent twice.
export async function busy<T>(btn: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  if (btn) {
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
  }
  try {
    return await work();
  } finally {
    if (btn) {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
    }
  }
}

export function value(form: HTMLElement, name: string): string {
  const el = form.querySelector<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(`[name="${name}"]`);
  return el ? el.value.trim() : '';
}
export function checked(form: HTMLElement, name: string): boolean {
  return Boolean(form.querySelector<HTMLInputElement>(`[name="${name}"]`)?.checked);
}

// The usual form submission: no page load, earlier errors cleared, the button
// busy while `work` runs, and any failure shown at `errors` with its field
// marked in the form.
export function onSubmit(form: HTMLFormElement, button: HTMLButtonElement, errors: HTMLElement, work: () => Promise<void>): void {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    await busy(button, async () => {
      try {
        await work();
      } catch (err) {
        showError(errors, err, form);
      }
    });
  });
}
