import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveEdge } from './live-edge.js';

/** Pictures 40 ms of stream apart (25 fps), read after the given gaps in ms. */
function verdicts(gaps: readonly number[], edge = new LiveEdge()): boolean[] {
  let arrival = 1_000;
  return gaps.map((gap, index) => edge.see((arrival += gap), index * 40));
}

const LIVE = [40, 40, 40, 40];

describe('LiveEdge', () => {
  it('holds back buffered pictures, and lets through the fourth that keeps the camera pace', () => {
    // 30 buffered pictures decoded 3 to 29 ms apart, then the camera's 40 ms.
    const drain = Array.from({ length: 30 }, (_, i) => 3 + ((i * 7) % 27));
    const result = verdicts([...drain, ...LIVE, 40]);
    expect(result.slice(0, 33)).toEqual(Array(33).fill(false));
    expect(result.slice(33)).toEqual([true, true]);
  });

  it('is not fooled by slow decodes among buffered pictures, three in a row at the camera pace included', () => {
    const result = verdicts([5, 5, 46, 5, 40, 40, 40, 5, 5, ...LIVE]);
    expect(result.slice(0, 12)).toEqual(Array(12).fill(false));
    expect(result.at(-1)).toBe(true);
  });

  it('is not fooled by a decoder a little faster than the camera, which drains slowly', () => {
    expect(verdicts([36, 36, 36, 36, 36, 36, 36, 36]).every((live) => !live)).toBe(true);
  });

  it('takes network jitter at the live edge as the camera pace', () => {
    expect(verdicts([40, 36, 44, 38, 42, 40])).toEqual([false, false, false, false, true, true]);
  });

  it('stays at the edge once reached, whatever comes next', () => {
    expect(verdicts([...LIVE, 40, 1, 1])).toEqual([false, false, false, false, true, true, true]);
  });

  it('is at the edge at once when pictures carry no presentation time', () => {
    expect(new LiveEdge().see(0, Number.NaN)).toBe(true);
  });

  it('gives up holding after maxHold, for a decoder that never catches up', () => {
    expect(verdicts(Array(100).fill(36)).indexOf(true)).toBe(Math.ceil(3000 / 36));
  });

  describe('waiting for a quiet gap', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('is at the edge after a quiet gap, for a camera slower than its gap', () => {
      const edge = new LiveEdge();
      const quiet = vi.fn();
      expect(edge.hold(0, 0, quiet)).toBe(false);
      vi.advanceTimersByTime(99);
      expect(edge.hold(99, 40, quiet)).toBe(false);
      vi.advanceTimersByTime(99);
      expect(quiet).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      // The timer is up; the read after it finds no picture.
      vi.runOnlyPendingTimers();
      expect(quiet).toHaveBeenCalledTimes(1);
      expect(edge.reached).toBe(true);
      expect(edge.see(1000, 1000)).toBe(true);
    });

    it('a busy event loop is no quiet gap: a picture read right after the timer keeps the hold', () => {
      const edge = new LiveEdge();
      const quiet = vi.fn();
      edge.hold(0, 0, quiet);
      // The loop was blocked for 300 ms: the timer runs first, then the read of what came.
      vi.advanceTimersToNextTimer();
      expect(edge.hold(300, 40, quiet)).toBe(false);
      vi.advanceTimersByTime(99);
      expect(quiet).not.toHaveBeenCalled();
      expect(edge.reached).toBe(false);
    });

    it('stop() cancels the wait', () => {
      const edge = new LiveEdge();
      const quiet = vi.fn();
      edge.hold(0, 0, quiet);
      edge.stop();
      vi.advanceTimersByTime(1000);
      expect(quiet).not.toHaveBeenCalled();
    });
  });
});
