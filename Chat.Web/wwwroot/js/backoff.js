/**
 * How long to wait before reconnect attempt number `previousAttempts + 1`: at once, then doubling from
 * `first` up to `max`, each varied by ±20% so pages dropped together do not all return together.
 * Never gives up: the page keeps trying until the server is back.
 */
export function retryDelay(previousAttempts, first = 500, max = 10_000) {
  if (previousAttempts <= 0) {
    return 0;
  }

  const delay = Math.min(first * 2 ** Math.min(previousAttempts - 1, 20), max);
  return Math.round(delay * (0.8 + Math.random() * 0.4));
}
