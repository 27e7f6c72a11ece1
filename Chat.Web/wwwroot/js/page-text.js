import { AccountError } from './accounts-api.js';
import { ChatError, OfflineError } from './chat-connection.js';

/** Small pieces of the sentences the page shows. */

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

export function errorText(error) {
  return error instanceof ChatError || error instanceof OfflineError || error instanceof AccountError
    ? error.message
    : 'Something went wrong. Try again.';
}
