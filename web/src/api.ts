// The one way pages talk to the server: JSON over fetch with the session
// cookie. Every failure becomes an ApiError with the server's message and the
// field it names, so that forms can point at the field.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field = '',
    // The whole error body (an import's per-row errors, for example).
    readonly details: any = null,
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOut: Listener[] = [];
export function onSignedOut(l: Listener): void {
  signedOut.push(l);
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = `The server answered ${res.status} ${res.statusText}.`;
  let field = '';
  let body: any = null;
  try {
    body = await res.json();
    if (body && body.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      field = body.error.field ?? '';
    }
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message, field, body);
}

export async function request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    (init.headers as Record<string, string>)['Content-Type'] = contentType;
    init.body = contentType === 'application/json' ? JSON.stringify(body) : (body as BodyInit);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the Gatehouse server. Check your connection and try again; nothing was saved.');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !path.endsWith('/login')) signedOut.forEach((l) => l());
    throw err;
  }
  return res;
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const post = <T = any>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T = any>(path: string, body: unknown) => api<T>('PUT', path, body);

// Uploads text with progress (fetch has no upload progress; XMLHttpRequest does).
export function upload(
  path: string,
  body: Blob | string,
  contentType: string,
  onProgress: (sent: number, total: number) => void,
): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload did not reach the server; nothing was saved.'));
    xhr.onload = () => {
      let parsed: any = null;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(parsed);
      const e = parsed?.error ?? {};
      if (xhr.status === 401) signedOut.forEach((l) => l());
      reject(new ApiError(xhr.status, e.code ?? 'http_' + xhr.status, e.message ?? `The server answered ${xhr.status}.`, e.field ?? '', parsed));
    };
    xhr.send(body);
  });
}

export function qs(params: Record<string, string | number | boolean | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
