/**
 * The signed-in session: the access token from `POST /api/sessions`, when it stops being accepted, and
 * the username. It is kept in sessionStorage (this tab, until it closes) unless the user chose "stay
 * signed in", which keeps it in localStorage (this browser, until it expires or the user signs out).
 * The admin screen reads it from the same origin to call its API as this user. Falls back to memory
 * when storage is blocked.
 */
const storageKey = 'signalrchat.session';
let memory = null;

function parse(text) {
  try {
    const session = JSON.parse(text ?? 'null');
    return session && typeof session.accessToken === 'string' && typeof session.expiresAt === 'string' && typeof session.username === 'string'
      ? session
      : null;
  } catch {
    return null;
  }
}

function stores() {
  const found = [];
  for (const name of ['sessionStorage', 'localStorage']) {
    try {
      found.push(globalThis[name]);
    } catch {
      // Blocked storage (a strict privacy setting) throws on access; memory stands in for it.
    }
  }

  return found.filter(Boolean);
}

/** The stored session `{ accessToken, expiresAt, username, persistent }`, expired or not; null when signed out. */
export function storedSession() {
  for (const store of stores()) {
    try {
      const session = parse(store.getItem(storageKey));
      if (session) {
        return session;
      }
    } catch {
      // Unreadable storage: as if nothing were stored there.
    }
  }

  return memory;
}

/** Keeps a new session: in localStorage when `persistent` ("stay signed in"), else in sessionStorage. */
export function saveSession({ accessToken, expiresAt, username }, persistent) {
  const session = { accessToken, expiresAt, username, persistent };
  clearSession();
  try {
    (persistent ? localStorage : sessionStorage).setItem(storageKey, JSON.stringify(session));
  } catch {
    memory = session;
  }

  return session;
}

export function clearSession() {
  memory = null;
  for (const store of stores()) {
    try {
      store.removeItem(storageKey);
    } catch {
      // Nothing can be stored there either.
    }
  }
}

/** Whether the session's token is past its expiry, when the server refuses it. */
export function isExpired(session, now = Date.now()) {
  const expiresAt = Date.parse(session.expiresAt);
  return !Number.isFinite(expiresAt) || expiresAt <= now;
}

/** The access token to send, or null when signed out or expired. */
export function currentAccessToken(now = Date.now()) {
  const session = storedSession();
  return session && !isExpired(session, now) ? session.accessToken : null;
}
