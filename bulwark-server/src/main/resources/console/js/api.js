// The API client. The token lives in sessionStorage (gone when the tab closes) and goes out as a
// bearer header on every call; the console uses no cookies.

const TOKEN = 'bulwark.token';
const IDENTITY = 'bulwark.identity';

/** Roles in order; each may do what the ones before it may. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'];

/** True if the signed-in role covers `needed`. */
export function can(needed) {
  const who = identity();
  return !!who && ROLES.indexOf(who.role) >= ROLES.indexOf(needed);
}

/** The signed-in token's {name, role, actor}, or null. */
export function identity() {
  const raw = sessionStorage.getItem(IDENTITY);
  return raw ? JSON.parse(raw) : null;
}

/** Checks a token with GET /api/v1/whoami and keeps it for this tab if it is valid. */
export async function signIn(token) {
  const who = await request('GET', '/api/v1/whoami', undefined, token);
  sessionStorage.setItem(TOKEN, token);
  sessionStorage.setItem(IDENTITY, JSON.stringify(who));
  return who;
}

/** Forgets the token. */
export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(IDENTITY);
}

/** An RFC 9457 problem (or a network failure) as an Error with the problem's fields. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function get(path) {
  return request('GET', path);
}

export function post(path, body) {
  return request('POST', path, body);
}

async function request(method, path, body, token) {
  const headers = {Accept: 'application/json'};
  const secret = token || sessionStorage.getItem(TOKEN);
  if (secret) {
    headers.Authorization = `Bearer ${secret}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit'});
  } catch (e) {
    throw new ApiError(0, {title: 'The API did not answer', detail: `${e.message}; is Bulwark running?`});
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    throw new ApiError(res.status, json || {title: `HTTP ${res.status}`, detail: text.slice(0, 300)});
  }
  return json;
}

/** Encodes one path segment. */
export function seg(s) {
  return encodeURIComponent(s);
}
