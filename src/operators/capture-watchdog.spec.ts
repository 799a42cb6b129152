import type { TestScheduler } from 'rxjs/testing';
import { describe, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { captureWatchdog } from './capture-watchdog.js';

const OPENED: CaptureEvent = { type: 'opened', info: { width: 1, height: 1, fps: 25 } };
const FRAME: CaptureEvent = { type: 'frame', frame: { data: Buffer.alloc(1), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0 } };
const values: Record<string, CaptureEvent> = {
  o: OPENED,
  f: FRAME,
  h: { type: 'heartbeat', reason: 'unwanted' },
  r: { type: 'heartbeat', reason: 'rate-capped' },
};
const limits = (openTimeout: number, firstFrameTimeout: number, stallTimeout: number) => ({ openTimeout, firstFrameTimeout, stallTimeout });

const run = (callback: Parameters<TestScheduler['run']>[0]) => testScheduler().run(callback);

describe('captureWatchdog', () => {
  it('fails an attempt that does not open in time with OPEN_TIMEOUT and releases it', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<CaptureEvent>('------o', values);
      expectObservable(source.pipe(captureWatchdog(limits(4, 100, 100)))).toBe('----#', undefined, new RtspError('OPEN_TIMEOUT', 'the camera did not open within 4 ms'));
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('gives the first frame its own, longer allowance, then holds frames to the stall limit', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('-o 8ms f-f', values).pipe(captureWatchdog(limits(100, 10, 2)))).toBe('-o 8ms f-f-#', values, new RtspError('STALLED', 'no frame for 2 ms'));
      expectObservable(cold<CaptureEvent>('-o 20ms f', values).pipe(captureWatchdog(limits(100, 10, 2)))).toBe('-o 9ms #', values, new RtspError('STALLED', 'no first frame within 10 ms of opening'));
    });
  });

  it('lets a steady stream through, and turns each limit off with Infinity', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('-o-f-f-f-|', values).pipe(captureWatchdog(limits(2, 2, 2)))).toBe('-o-f-f-f-|', values);
      expectObservable(cold<CaptureEvent>('- 500ms o 500ms f|', values).pipe(captureWatchdog(limits(Infinity, Infinity, Infinity)))).toBe('- 500ms o 500ms f|', values);
    });
  });

  it('never holds a slow open to the stall limit', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('- 50ms o---f', values).pipe(captureWatchdog(limits(Infinity, 100, 2)))).toBe('- 50ms o---f-#', values, new RtspError('STALLED', 'no frame for 2 ms'));
    });
  });

  it('counts a rate-capped heartbeat as a picture, before the first frame and between frames', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('-o 8ms r-r-f-r-r-r-f-r---', values).pipe(captureWatchdog(limits(100, 10, 2)))).toBe('-o 8ms r-r-f-r-r-r-f-r-#', values, new RtspError('STALLED', 'no frame for 2 ms'));
    });
  });

  it('while frames are wanted, stalls when only unwanted heartbeats come: the frames are lost on the way', () => {
    run(({ cold, expectObservable }) => {
      const source = cold<CaptureEvent>('-o-f-h-h-h-h-h-h-', values);
      const error = new RtspError('STALLED', 'no frame for 5 ms while frames were wanted, though the camera sent 2 picture(s): they did not reach the application');
      expectObservable(source.pipe(captureWatchdog(limits(100, 100, 5)))).toBe('-o-f----#', values, error);
    });
  });

  it('believes unwanted heartbeats while nobody wants frames, and gives a wanted frame a full stall limit', () => {
    run(({ cold, hot, expectObservable }) => {
      const demand$ = hot('f 10ms t', { t: true, f: false });
      const source = cold<CaptureEvent>('-o-f-h-h-h-h-h-h-h-h-h-h-', values);
      expectObservable(source.pipe(captureWatchdog({ ...limits(100, 100, 5), demand$ }))).toBe('-o-f-h-h-h------#', values, new RtspError('STALLED', 'no frame for 5 ms while frames were wanted, though the camera sent 3 picture(s): they did not reach the application'));
    });
  });

  it('treats a new `opened` mid-stream (a new resolution) as a sign of life', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('o-f-o-f-o-f|', values).pipe(captureWatchdog(limits(3, 3, 3)))).toBe('o-f-o-f-o-f|', values);
    });
  });
});
