import { describe, expect, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import { RtspError, ReconnectExhaustedError } from '../errors.js';
import type { RtspEvent } from '../capture-source.js';
import { selectFrames } from './select-frames.js';

const frame = { data: Buffer.from('a'), width: 1, height: 1, channels: 1, pixelFormat: 'gray' as const, capturedAt: 0, sequence: 1 };
const cause = new RtspError('ECONNREFUSED', 'refused');
const events: Record<string, RtspEvent> = {
  c: { type: 'state', state: { status: 'connecting', attempt: 0 } },
  a: { type: 'frame', frame },
  F: { type: 'state', state: { status: 'failed', attempts: 3, cause, reason: 'exhausted' } },
  x: { type: 'state', state: { status: 'closed' } },
};

describe('selectFrames', () => {
  it('keeps frames and drops states', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('c-a-a-x|', events).pipe(selectFrames())).toBe('--a-a--|', { a: frame });
    });
  });

  it('turns a failed state into a ReconnectExhaustedError with the count and the last cause', () => {
    let error: unknown;
    testScheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('c-a-F|', events).pipe(selectFrames());
      expectObservable(frames$).toBe('--a-#', { a: frame }, new ReconnectExhaustedError(3, cause));
      frames$.subscribe({ error: (e: unknown) => (error = e) });
    });
    expect(error).toBeInstanceOf(ReconnectExhaustedError);
    expect(error).toMatchObject({ code: 'RECONNECT_EXHAUSTED', attempts: 3, cause });
  });
});
