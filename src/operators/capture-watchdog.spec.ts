import type { TestScheduler } from 'rxjs/testing';
import { describe, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { captureWatchdog } from './capture-watchdog.js';

const OPENED: CaptureEvent = { type: 'opened', info: { width: 1, height: 1, fps: 25 } };
const FRAME: CaptureEvent = { type: 'frame', frame: { data: Buffer.alloc(1), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0 } };
const HEARTBEAT: CaptureEvent = { type: 'heartbeat' };
const values = { o: OPENED, f: FRAME, h: HEARTBEAT };
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

  it('counts a heartbeat as a picture, before the first frame and between frames', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('-o 8ms h-h-f-h-h-h-f-h---', values).pipe(captureWatchdog(limits(100, 10, 2)))).toBe('-o 8ms h-h-f-h-h-h-f-h-#', values, new RtspError('STALLED', 'no frame for 2 ms'));
    });
  });

  it('treats a new `opened` mid-stream (a new resolution) as a sign of life', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('o-f-o-f-o-f|', values).pipe(captureWatchdog(limits(3, 3, 3)))).toBe('o-f-o-f-o-f|', values);
    });
  });
});
