import { describe, expect, it } from 'vitest';
import { LiveEdge } from './live-edge.js';

/** Pictures 40 ms of stream apart (25 fps), read after the given gaps in ms. */
function verdicts(gaps: readonly number[], edge = new LiveEdge()): boolean[] {
  let arrival = 1_000;
  return gaps.map((gap, index) => edge.see((arrival += gap), index * 40));
}

describe('LiveEdge', () => {
  it('holds back buffered pictures and lets through the second one that keeps the camera pace', () => {
    // 30 buffered pictures decoded 3 to 29 ms apart, then the camera's 40 ms.
    const drain = Array.from({ length: 30 }, (_, i) => 3 + ((i * 7) % 27));
    const result = verdicts([...drain, 40, 40, 40]);
    expect(result.slice(0, 31)).toEqual(Array(31).fill(false));
    expect(result.slice(31)).toEqual([true, true]);
  });

  it('is not fooled by one slow decode among buffered pictures', () => {
    const result = verdicts([5, 5, 46, 5, 5, 40, 40]);
    expect(result).toEqual([false, false, false, false, false, false, true]);
  });

  it('takes network jitter at the live edge as the camera pace', () => {
    expect(verdicts([40, 36, 44, 38])).toEqual([false, false, true, true]);
  });

  it('restarts the count when a live-looking picture is followed by buffered ones', () => {
    expect(verdicts([5, 40, 5, 5, 40, 40])).toEqual([false, false, false, false, false, true]);
  });

  it('stays at the edge once reached, whatever comes next', () => {
    expect(verdicts([40, 40, 40, 1, 1])).toEqual([false, false, true, true, true]);
  });

  it('is at the edge at once when pictures carry no presentation time', () => {
    expect(new LiveEdge().see(0, Number.NaN)).toBe(true);
  });

  it('is at the edge after a quiet gap, for a camera slower than its gap', () => {
    const edge = new LiveEdge();
    expect(edge.see(0, 0)).toBe(false);
    expect(edge.gap).toBe(100);
    edge.quiet();
    expect(edge.see(1000, 1000)).toBe(true);
  });
});
