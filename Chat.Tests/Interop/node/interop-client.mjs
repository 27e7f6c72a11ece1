// Node's ws client against the chat hub, one scenario a run:
//   node interop-client.mjs <ws url> <scenario> <room>
// It prints one JSON line with what the client saw (the test asserts on it) and exits 0; anything
// unexpected goes to stderr with exit code 1. Every wait has its own timeout.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

const RS = '\u001e';
const TIMEOUT_MS = 10_000;
const [url, scenario, room] = process.argv.slice(2);

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function invocation(id, target, ...args) {
  return JSON.stringify({ type: 1, invocationId: id, target, arguments: args }) + RS;
}

// Collects the hub messages (records separated by 0x1e) and the close, so a scenario can await either.
class Hub {
  constructor(ws) {
    this.ws = ws;
    this.records = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.closedWith = { code, reason: reason.toString() };
        resolve(this.closedWith);
        this.notify();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      for (const text of data.toString().split(RS)) {
        if (text.length > 0) this.records.push(JSON.parse(text));
      }
      this.notify();
    });
  }

  notify() {
    for (const wake of this.waiters.splice(0)) wake();
  }

  // The first record that matches, waiting for it; fails if the connection closes first.
  async record(match, what) {
    return withTimeout((async () => {
      while (true) {
        const found = this.records.find(match);
        if (found) return found;
        if (this.closedWith) throw new Error(`closed with ${this.closedWith.code} while waiting for ${what}`);
        await new Promise((wake) => this.waiters.push(wake));
      }
    })(), what);
  }

  completion(id) {
    return this.record((r) => r.type === 3 && r.invocationId === id, `the completion of ${id}`);
  }
}

async function connect() {
  const ws = new WebSocket(url);
  await withTimeout(new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  }), 'the connection');
  ws.on('error', () => {}); // A protocol close also raises 'error'; 'close' reports it.
  const hub = new Hub(ws);
  ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
  await hub.record((r) => r.type === undefined, 'the handshake answer');
  return hub;
}

// What the client library reports once the connection has closed: the close code and reason it saw.
async function closeSeen(hub) {
  const { code, reason } = await withTimeout(hub.closed, 'the close');
  return { code, reason };
}

// A SendMessage completion without the 6 KB text: its error, or the stored message's seq and length.
function summary(completion) {
  return completion.error !== undefined
    ? { error: completion.error }
    : { seq: completion.result.seq, textLength: completion.result.text.length };
}

const scenarios = {
  async fragmented(hub) {
    const message = invocation('1', 'Join', room);
    const third = Math.ceil(message.length / 3);
    hub.ws.send(message.slice(0, third), { fin: false });
    hub.ws.send(message.slice(third, 2 * third), { fin: false });
    hub.ws.send(message.slice(2 * third), { fin: true });
    return { completion: await hub.completion('1') };
  },

  async ping(hub) {
    const pong = new Promise((resolve) => hub.ws.once('pong', (data) => resolve(data.toString())));
    hub.ws.ping('are you there');
    return { pong: await withTimeout(pong, 'the pong') };
  },

  async 'close-1000'(hub) {
    hub.ws.close(1000);
    return closeSeen(hub);
  },

  async 'close-4000'(hub) {
    hub.ws.close(4000, 'going to lunch');
    return closeSeen(hub);
  },

  async oversize(hub) {
    hub.ws.send('x'.repeat(70 * 1024));
    return closeSeen(hub);
  },

  async unmasked(hub) {
    hub.ws.send(invocation('1', 'Me'), { mask: false });
    return closeSeen(hub);
  },

  async 'invalid-utf8'(hub) {
    // A text frame whose bytes are not UTF-8: ws sends them as given, without checking.
    hub.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x1e]), { binary: false });
    return closeSeen(hub);
  },

  async burst(hub) {
    hub.ws.send(invocation('join', 'Join', room));
    await hub.completion('join');
    const ids = [];
    for (let i = 0; i < 12; i++) {
      const id = `send${i}`;
      ids.push(id);
      hub.ws.send(invocation(id, 'SendMessage', room, String.fromCodePoint(0x4e00 + i).repeat(2000), randomUUID()));
    }
    const completions = [];
    for (const id of ids) completions.push(summary(await hub.completion(id)));
    return { completions, open: hub.ws.readyState === WebSocket.OPEN };
  },
};

try {
  const run = scenarios[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  const hub = await connect();
  const result = await run(hub);
  console.log(JSON.stringify(result));
  hub.ws.terminate();
  process.exit(0);
} catch (error) {
  console.error(error.stack ?? String(error));
  process.exit(1);
}
