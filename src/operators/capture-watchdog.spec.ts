import type { TestScheduler } from 'rxjs/testing';
import { describe, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { captureWatchdog } from './capture-watchdog.js';

const OPENED: CaptureEvent = { type: 'opened', info: { width: 1, height: 1, fps: 25 } };
const FRAME: CaptureEvent = { type: 'frame', frame: { data: Buffer.alloc(1), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0 } };
const values = { o: OPENED, f: FRAME };

const run = (callback: Parameters<TestScheduler['run']>[0]) => testScheduler().run(callback);

describe('captureWatchdog', () => {
  it('fails an attempt that does not open in time with OPEN_TIMEOUT and releases it', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<CaptureEvent>('------o', values);
      expectObservable(source.pipe(captureWatchdog(4, 100))).toBe('----#', undefined, new RtspError('OPEN_TIMEOUT', 'the camera did not open within 4 ms'));
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('fails an open stream that goes silent with STALLED', () => {
    run(({ cold, expectObservable }) => {
      const source = cold<CaptureEvent>('-o-f-f', values);
      expectObservable(source.pipe(captureWatchdog(100, 3))).toBe('-o-f-f--#', values, new RtspError('STALLED', 'no frame for 3 ms'));
    });
  });

  it('lets a steady stream through, and turns off with Infinity', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('-o-f-f-f-|', values).pipe(captureWatchdog(2, 2))).toBe('-o-f-f-f-|', values);
      expectObservable(cold<CaptureEvent>('- 500ms o 500ms f|', values).pipe(captureWatchdog(Infinity, Infinity))).toBe('- 500ms o 500ms f|', values);
    });
  });

  it('checks only the stall when the open timeout is off', () => {
    run(({ cold, expectObservable }) => {
      expectObservable(cold<CaptureEvent>('- 50ms o---f', values).pipe(captureWatchdog(Infinity, 2))).toBe('- 50ms o-#', values, new RtspError('STALLED', 'no frame for 2 ms'));
    });
  });
});
