import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { AccountError, createAccount, refusalSentence, retryAfterWords, signIn } from '../wwwroot/js/accounts-api.js';
import { clearSession, currentAccessToken, isExpired, saveSession, storedSession } from '../wwwroot/js/session.js';

/** A Web Storage stand-in: what the page keeps in sessionStorage and localStorage. */
class FakeStorage {
  #items = new Map();

  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }

  setItem(key, value) {
    this.#items.set(key, String(value));
  }

  removeItem(key) {
    this.#items.delete(key);
  }
}

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
  delete globalThis.sessionStorage;
  delete globalThis.localStorage;
});

function respond(status, body, headers = {}) {
  return async () => new Response(body === undefined ? 'not json' : JSON.stringify(body), { status, headers });
}

test('Retry-After reads as words, in seconds or as a date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterWords('1', now), 'in 1 second');
  assert.equal(retryAfterWords('45', now), 'in 45 seconds');
  assert.equal(retryAfterWords('60', now), 'in 1 minute');
  assert.equal(retryAfterWords('61', now), 'in 2 minutes');
  assert.equal(retryAfterWords('7200', now), 'in 2 hours');
  assert.equal(retryAfterWords('Thu, 01 Jan 2026 00:00:30 GMT', now), 'in 30 seconds');
  assert.equal(retryAfterWords(null, now), null);
  assert.equal(retryAfterWords('soon', now), null);
});

test('a refusal is the server\'s sentence; a 429 adds when to try again', () => {
  assert.equal(refusalSentence(401, { error: 'That username and password do not match.' }, null), 'That username and password do not match.');
  assert.equal(refusalSentence(429, { error: 'Too many sign-in attempts.' }, '30'), 'Too many sign-in attempts. You can try again in 30 seconds.');
  assert.equal(refusalSentence(429, null, null), 'Too many attempts. Try again later.');
  assert.equal(refusalSentence(429, { error: 'Too many attempts. Try again in 42 seconds.' }, '42'), 'Too many attempts. Try again in 42 seconds.');
  assert.equal(refusalSentence(500, null, null), 'The server could not do that (HTTP 500). Try again.');
});

test('signing in posts the pair and returns the token; a refusal throws its sentence and status', async () => {
  let request;
  globalThis.fetch = async (url, init) => {
    request = { url, init };
    return new Response(JSON.stringify({ accessToken: 'a.b.c', expiresAt: '2030-01-01T00:00:00+00:00' }), { status: 200 });
  };
  const session = await signIn('alice', 'correct horse');
  assert.equal(session.accessToken, 'a.b.c');
  assert.equal(request.url, '/api/sessions');
  assert.equal(request.init.method, 'POST');
  assert.deepEqual(JSON.parse(request.init.body), { username: 'alice', password: 'correct horse' });

  globalThis.fetch = respond(409, { error: 'The username alice is taken.' });
  await assert.rejects(createAccount('alice', 'correct horse'), error =>
    error instanceof AccountError && error.status === 409 && error.message === 'The username alice is taken.');

  globalThis.fetch = respond(429, { error: 'Too many attempts.' }, { 'Retry-After': '90' });
  await assert.rejects(signIn('alice', 'guess'), { message: 'Too many attempts. You can try again in 2 minutes.' });

  globalThis.fetch = async () => {
    throw new TypeError('Failed to fetch');
  };
  await assert.rejects(signIn('alice', 'guess'), { message: 'Cannot reach the chat server. Check the connection and try again.' });
});

test('a session is kept for the tab unless the user stays signed in, and an expired one gives no token', () => {
  globalThis.sessionStorage = new FakeStorage();
  globalThis.localStorage = new FakeStorage();
  const later = new Date(Date.now() + 3_600_000).toISOString();

  saveSession({ accessToken: 'tab.token.x', expiresAt: later, username: 'alice' }, false);
  assert.equal(storedSession().username, 'alice');
  assert.notEqual(sessionStorage.getItem('signalrchat.session'), null);
  assert.equal(localStorage.getItem('signalrchat.session'), null);
  assert.equal(currentAccessToken(), 'tab.token.x');

  saveSession({ accessToken: 'kept.token.x', expiresAt: later, username: 'alice' }, true);
  assert.equal(sessionStorage.getItem('signalrchat.session'), null, 'one session at a time');
  assert.equal(currentAccessToken(), 'kept.token.x');

  assert.equal(isExpired(storedSession(), Date.parse(later) + 1), true);
  assert.equal(currentAccessToken(Date.parse(later) + 1), null);

  clearSession();
  assert.equal(storedSession(), null);
  assert.equal(currentAccessToken(), null);
});
