/**
 * The HTTP side of accounts: creating one (`POST /api/accounts`) and signing in (`POST /api/sessions`).
 * Every refusal carries the server's sentence (`{ "error": "..." }`); a 429 adds when to try again.
 */
export const accountsPath = '/api/accounts';
export const sessionsPath = '/api/sessions';

/** The server refused (400, 401, 409, 429) or could not be reached; `message` is for the user. */
export class AccountError extends Error {
  constructor(sentence, status = 0) {
    super(sentence);
    this.name = 'AccountError';
    this.status = status;
  }
}

/** A Retry-After header (seconds, or an HTTP date) in words: "in 1 minute", "in 20 seconds"; null when absent. */
export function retryAfterWords(header, now = Date.now()) {
  if (header === null || header === undefined || String(header).trim() === '') {
    return null;
  }

  const text = String(header).trim();
  let seconds = /^\d+$/.test(text) ? Number(text) : Math.ceil((Date.parse(text) - now) / 1000);
  if (!Number.isFinite(seconds)) {
    return null;
  }

  seconds = Math.max(1, seconds);
  if (seconds < 60) {
    return `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  }

  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) {
    return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  }

  const hours = Math.ceil(minutes / 60);
  return `in ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** The sentence for a refused response: the server's own, and for 429 when to try again unless it says so already. */
export function refusalSentence(status, body, retryAfter, now = Date.now()) {
  let sentence = typeof body?.error === 'string' && body.error.trim() !== ''
    ? body.error.trim()
    : status === 429 ? 'Too many attempts.' : `The server could not do that (HTTP ${status}). Try again.`;
  if (status === 429 && !/try again/i.test(sentence)) {
    const when = retryAfterWords(retryAfter, now);
    sentence += when === null ? ' Try again later.' : ` You can try again ${when}.`;
  }

  return sentence;
}

async function post(path, username, password) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
      cache: 'no-store',
    });
  } catch {
    throw new AccountError('Cannot reach the chat server. Check the connection and try again.');
  }

  let body = null;
  try {
    body = await response.json();
  } catch {
    // A body that is not JSON (a proxy's error page) leaves only the status to go by.
  }

  if (!response.ok) {
    throw new AccountError(refusalSentence(response.status, body, response.headers.get('Retry-After')), response.status);
  }

  return body;
}

/** Creates an account; resolves to `{ username }` as the server stored it. */
export function createAccount(username, password) {
  return post(accountsPath, username, password);
}

/** Signs in; resolves to `{ accessToken, expiresAt }`. */
export async function signIn(username, password) {
  const session = await post(sessionsPath, username, password);
  if (typeof session?.accessToken !== 'string' || typeof session?.expiresAt !== 'string') {
    throw new AccountError('The server answered the sign-in with something the page does not understand. Try again.');
  }

  return session;
}
