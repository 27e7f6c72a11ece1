// Chromium's own WebSocket against the chat hub, evaluated in a page the chat server served (so the
// connection carries that page's origin). One scenario an evaluation; it resolves to what the
// browser reported, in the shapes the Python and Node clients print.
async ({ url, scenario, room }) => {
  const RS = '\u001e';
  const TIMEOUT_MS = 10_000;

  const withTimeout = (promise, what) => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  };

  const invocation = (id, target, ...args) => JSON.stringify({ type: 1, invocationId: id, target, arguments: args }) + RS;

  const ws = new WebSocket(url);
  const records = [];
  let waiters = [];
  let closedWith;
  const notify = () => { for (const wake of waiters.splice(0)) wake(); };
  const closed = new Promise((resolve) => {
    ws.onclose = (event) => {
      closedWith = { code: event.code, reason: event.reason, wasClean: event.wasClean };
      resolve(closedWith);
      notify();
    };
  });
  ws.onmessage = (event) => {
    for (const text of String(event.data).split(RS)) {
      if (text.length > 0) records.push(JSON.parse(text));
    }
    notify();
  };

  const record = (match, what) => withTimeout((async () => {
    while (true) {
      const found = records.find(match);
      if (found) return found;
      if (closedWith) throw new Error(`closed with ${closedWith.code} while waiting for ${what}`);
      await new Promise((wake) => waiters.push(wake));
    }
  })(), what);
  const completion = (id) => record((r) => r.type === 3 && r.invocationId === id, `the completion of ${id}`);
  const closeSeen = () => withTimeout(closed, 'the close');

  await withTimeout(new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('the connection failed'));
  }), 'the connection');
  ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
  await record((r) => r.type === undefined, 'the handshake answer');

  try {
    switch (scenario) {
      case 'close-1000':
        ws.close(1000);
        return await closeSeen();
      case 'close-4000':
        ws.close(4000, 'going to lunch');
        return await closeSeen();
      case 'oversize':
        ws.send('x'.repeat(70 * 1024));
        return await closeSeen();
      case 'burst': {
        ws.send(invocation('join', 'Join', room));
        await completion('join');
        const ids = [];
        for (let i = 0; i < 12; i++) {
          ids.push(`send${i}`);
          ws.send(invocation(`send${i}`, 'SendMessage', room, String.fromCodePoint(0x4e00 + i).repeat(2000), crypto.randomUUID()));
        }
        const completions = [];
        for (const id of ids) {
          const done = await completion(id);
          completions.push(done.error !== undefined
            ? { error: done.error }
            : { seq: done.result.seq, textLength: done.result.text.length });
        }
        return { completions, open: ws.readyState === WebSocket.OPEN };
      }
      default:
        throw new Error(`unknown scenario ${scenario}`);
    }
  } finally {
    if (ws.readyState === WebSocket.OPEN) ws.close(1000);
  }
}
