import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../src/backoff.js';

const policy = { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectDelay: 10_000, maxReconnectAttempts: Infinity, reconnectJitter: 0 };

describe('reconnectDelay', () => {
  it('doubles from the first delay and stops at the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelay(attempt, policy))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('stays at the maximum however long the outage, without overflowing', () => {
    expect(reconnectDelay(10_000, policy)).toBe(10_000);
  });

  it('keeps the delay constant with a multiplier of 1, as the seed does by default', () => {
    expect([1, 2, 3].map((attempt) => reconnectDelay(attempt, { ...policy, reconnectBackoff: 1 }))).toEqual([1000, 1000, 1000]);
  });

  it('adds up to `reconnectJitter` of the delay, never less than the delay itself', () => {
    const jittered = { ...policy, reconnectJitter: 0.5 };
    expect(reconnectDelay(1, jittered, () => 0)).toBe(1000);
    expect(reconnectDelay(1, jittered, () => 0.999_999)).toBe(1500);
    expect(reconnectDelay(5, jittered, () => 0.5)).toBe(12_500);
  });
});
