/**
 * What the page remembers in localStorage: the user's secret key (the same user across reloads and
 * reconnects), the nickname, and the rooms that were open. Falls back to memory when storage is blocked.
 */
const prefix = 'signalrchat.';
const memory = new Map();

function read(name) {
  try {
    return localStorage.getItem(prefix + name);
  } catch {
    return memory.get(name) ?? null;
  }
}

function write(name, value) {
  try {
    if (value === null) {
      localStorage.removeItem(prefix + name);
    } else {
      localStorage.setItem(prefix + name, value);
    }
  } catch {
    memory.set(name, value);
  }
}

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, byte => byte.toString(16).padStart(2, '0')).join('');
}

export const identity = {
  /** 32 random hex digits; connections with the same key are one user to the server. */
  get key() {
    let key = read('key');
    if (!key || !/^[0-9a-f]{32}$/.test(key)) {
      key = newKey();
      write('key', key);
    }

    return key;
  },

  /** The nickname last used (chosen or assigned by the server), or null before the first visit. */
  get nickname() {
    return read('nickname');
  },

  set nickname(value) {
    write('nickname', value);
  },

  /** The rooms that were open, in sidebar order. */
  get rooms() {
    try {
      const rooms = JSON.parse(read('rooms') ?? '[]');
      return Array.isArray(rooms) ? rooms.filter(room => typeof room === 'string') : [];
    } catch {
      return [];
    }
  },

  set rooms(value) {
    write('rooms', JSON.stringify(value));
  },

  get activeRoom() {
    return read('active');
  },

  set activeRoom(value) {
    write('active', value);
  },
};
