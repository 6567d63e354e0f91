// Calls to the web server. Every change carries the session's CSRF token; the server checks
// it (and the person's rights) whatever the page shows.
let csrf = '';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `request failed (${status})`);
    this.status = status;
    this.code = body?.error;
    this.details = body?.details;
  }
}

async function call(method, path, body) {
  const res = await fetch(`/ui/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { 'x-csrf-token': csrf } : { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export async function me() {
  const data = await call('GET', '/me');
  csrf = data.csrf;
  return data;
}

export const services = () => call('GET', '/services');
export const limits = () => call('GET', '/limits');
export const activity = () => call('GET', '/activity');
export const tools = (name) => call('GET', `/services/${encodeURIComponent(name)}/tools`);
export const search = (q, server) => call('GET', `/search?q=${encodeURIComponent(q)}${server ? `&server=${encodeURIComponent(server)}` : ''}`);
export const setEnabled = (name, enabled) => call('POST', `/services/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`, {});
export const refresh = (name) => call('POST', `/services/${encodeURIComponent(name)}/refresh`, {});
export const disconnect = (name) => call('POST', `/services/${encodeURIComponent(name)}/disconnect`, {});
export const edit = (name, fields) => call('POST', `/services/${encodeURIComponent(name)}`, fields);
export const register = (fields) => call('POST', '/services', fields);

export async function signOut() {
  await fetch('/ui/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } });
}
