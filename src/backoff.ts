import type { ReconnectOptions } from './options.js';

/**
 * How long to wait before reconnect attempt `attempt` (1 for the first):
 * `reconnectDelay * reconnectBackoff ** (attempt - 1)`, capped at `maxReconnectDelay`, then
 * lengthened by up to `reconnectJitter` of itself. Never shorter than `reconnectDelay`, so a
 * camera that fails instantly cannot spin a loop.
 */
export function reconnectDelay(
  attempt: number,
  policy: Required<Pick<ReconnectOptions, 'reconnectDelay' | 'reconnectBackoff' | 'maxReconnectDelay' | 'reconnectJitter'>>,
  random: () => number = Math.random,
): number {
  const capped = Math.min(policy.reconnectDelay * policy.reconnectBackoff ** (attempt - 1), policy.maxReconnectDelay);
  return policy.reconnectJitter === 0 ? capped : Math.round(capped * (1 + policy.reconnectJitter * random()));
}
