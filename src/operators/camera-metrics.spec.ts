import { describe, expect, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { Frame, RtspEvent } from '../capture-source.js';
import { CLOSED, type ConnectionState } from '../connection-state.js';
import { RtspError } from '../errors.js';
import { cameraMetrics, type CameraMetrics } from './camera-metrics.js';

const frame = (capturedAt: number, dropped?: number): Frame => ({ data: Buffer.alloc(1), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt, sequence: 1, ...(dropped === undefined ? {} : { dropped }) });
const refused = new RtspError('ECONNREFUSED', 'connection refused');
const states = {
  c: { status: 'connecting', attempt: 0 },
  k: { status: 'connected', since: 0, info: { width: 1, height: 1, fps: 25 } },
  r: { status: 'reconnecting', attempt: 1, delay: 1, cause: refused },
  n: { status: 'connecting', attempt: 1 },
} satisfies Record<string, ConnectionState>;
const events: Record<string, RtspEvent> = {
  ...Object.fromEntries(Object.entries(states).map(([letter, state]) => [letter, { type: 'state', state }])),
  a: { type: 'frame', frame: frame(1) },
  b: { type: 'frame', frame: frame(3, 2) },
};

/** The metrics with `changes` over a camera that has delivered nothing. */
const metrics = (changes: Partial<CameraMetrics>): CameraMetrics => ({
  state: CLOSED,
  stateSince: 0,
  frames: 0,
  dropped: 0,
  reconnects: 0,
  fps: 0,
  lastFrameAt: undefined,
  frameAge: undefined,
  lastError: undefined,
  ...changes,
});

describe('cameraMetrics', () => {
  it('counts frames, dropped pictures, reconnects and the last error as events come', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const metrics$ = cold('-c-k-a-b-r-n-k-|', events).pipe(cameraMetrics({ every: 1000 }));
      const connected = { state: states.k, stateSince: 3 };
      const afterB = { ...connected, frames: 2, dropped: 2, fps: 2, lastFrameAt: 7, frameAge: 4 };
      const lastError = 'ECONNREFUSED: connection refused';
      expectObservable(metrics$).toBe('z0-1-2-3-4-5-6-|', {
        z: metrics({}),
        0: metrics({ state: states.c, stateSince: 1 }),
        1: metrics(connected),
        2: metrics({ ...connected, frames: 1, fps: 1, lastFrameAt: 5, frameAge: 4 }),
        3: metrics(afterB),
        4: metrics({ ...afterB, state: states.r, stateSince: 9, lastError }),
        5: metrics({ ...afterB, state: states.n, stateSince: 11, reconnects: 1, lastError }),
        6: metrics({ ...afterB, stateSince: 13, reconnects: 1, lastError }),
      });
    });
  });

  it('reads out again every `every` ms while the events go on, so fps falls to 0 when frames stop; the scheduler is its last parameter', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const metrics$ = cold('-k-a', events).pipe(cameraMetrics({ every: 999 }));
      const afterA = { state: states.k, stateSince: 1, frames: 1, lastFrameAt: 3, frameAge: 2 };
      expectObservable(metrics$, '^ 1999ms !').toBe('z0-1 995ms 2 998ms 3', { z: metrics({}), 0: metrics({ state: states.k, stateSince: 1 }), 1: metrics({ ...afterA, fps: 1 }), 2: metrics({ ...afterA, fps: 1 }), 3: metrics(afterA) });
    });
  });

  it('ends with its events, an error included', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-c-#', events, refused).pipe(cameraMetrics())).toBe('z0-#', { z: metrics({}), 0: metrics({ state: states.c, stateSince: 1 }) }, refused);
    });
  });

  it('starts counting afresh for each subscriber', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const metrics$ = cold('-ka|', events).pipe(cameraMetrics());
      const once = { z: metrics({}), 0: metrics({ state: states.k, stateSince: 1 }), 1: metrics({ state: states.k, stateSince: 1, frames: 1, fps: 1, lastFrameAt: 2, frameAge: 1 }) };
      expectObservable(metrics$).toBe('z01|', once);
      expectObservable(metrics$).toBe('z01|', once);
    });
  });

  it('names `every` when it is no period', () => {
    expect(() => cameraMetrics({ every: 0 })).toThrow(new RangeError('rtsp-rx: cameraMetrics: option every must be a number of milliseconds above 0 and up to 2147483647; got 0'));
    expect(() => cameraMetrics({ evry: 10 } as never)).toThrow(/unknown option evry; did you mean every\?/);
  });
});
