// The official SignalR JavaScript client (@microsoft/signalr, at the version Chat.Web pins) in a room
// beside door users, one run:
//   node signalr-client.mjs <server http url> <room> <nickname> <wait for> <send> <wait for>
// It joins, waits until the room has a message with the first text (from its history or live), sends
// its own, waits for the second text, and prints one JSON line: what the join returned and every
// message it received. Anything unexpected goes to stderr with exit code 1; every wait has a timeout.
import * as signalR from '@microsoft/signalr';

const TIMEOUT_MS = 10_000;
const [server, room, nickname, first, own, last] = process.argv.slice(2);

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${server}/hubs/chat?name=${encodeURIComponent(nickname)}`, {
    skipNegotiation: true,
    transport: signalR.HttpTransportType.WebSockets,
  })
  .configureLogging(signalR.LogLevel.Warning)
  .build();

const received = [];
const waiters = [];
connection.on('ReceiveMessage', (message) => {
  received.push(message);
  for (const waiter of waiters.splice(0)) waiter();
});

function until(what, seen) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
    const check = () => {
      if (seen()) {
        clearTimeout(timer);
        resolve();
      } else {
        waiters.push(check);
      }
    };
    check();
  });
}

try {
  await connection.start();
  const snapshot = await connection.invoke('Join', room);
  const has = (text) => () => snapshot.messages.some((m) => m.text === text) || received.some((m) => m.text === text);
  await until(first, has(first));
  await connection.invoke('SendMessage', room, own, null);
  await until(last, has(last));
  console.log(JSON.stringify({ snapshot, received }));
  await connection.stop();
} catch (error) {
  console.error(error);
  process.exit(1);
}
