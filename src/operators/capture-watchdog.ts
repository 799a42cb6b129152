import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';

/**
 * How long each phase of a capture attempt may stay silent, in milliseconds; `Infinity` turns one off.
 *
 * @example
 * ```ts
 * const patientFirstFrame: WatchdogLimits = { openTimeout: 10_000, firstFrameTimeout: 30_000, stallTimeout: 3_000 };
 * ```
 */
export interface WatchdogLimits {
  /** From the start of the attempt to `opened`. */
  readonly openTimeout: number;
  /** From `opened` to the first frame: a camera may send its first keyframe seconds after the session opens. */
  readonly firstFrameTimeout: number;
  /** Between one picture (a frame or a `heartbeat`, or a new `opened`) and the next. */
  readonly stallTimeout: number;
}

/**
 * Fails a capture attempt that goes silent for too long in any phase: `OPEN_TIMEOUT` before
 * it opens, `STALLED` while it waits for its first picture or between pictures. A `heartbeat`
 * (h) counts as a picture: the camera is alive even when no frame is delivered.
 *
 * ```
 * source:   --o-----f--h--f--------
 * captureWatchdog({ openTimeout: 5, firstFrameTimeout: 9, stallTimeout: 4 })
 * result:   --o-----f--h--f---#          # = RtspError STALLED
 * ```
 *
 * @example
 * ```ts
 * source.open(request).pipe(captureWatchdog({ openTimeout: 10_000, firstFrameTimeout: 20_000, stallTimeout: 5_000 }));
 * ```
 */
export function captureWatchdog(limits: WatchdogLimits, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<CaptureEvent> {
  const { openTimeout, firstFrameTimeout, stallTimeout } = limits;
  const phases = {
    opening: [openTimeout, () => new RtspError('OPEN_TIMEOUT', `the camera did not open within ${openTimeout} ms`)],
    awaitingFirstFrame: [firstFrameTimeout, () => new RtspError('STALLED', `no first frame within ${firstFrameTimeout} ms of opening`)],
    streaming: [stallTimeout, () => new RtspError('STALLED', `no frame for ${stallTimeout} ms`)],
  } as const;

  return (source) =>
    new Observable<CaptureEvent>((subscriber) => {
      let phase: keyof typeof phases = 'opening';
      let alarm: Subscription | undefined;
      const arm = (): void => {
        alarm?.unsubscribe();
        const [limit, error] = phases[phase];
        alarm = Number.isFinite(limit) ? scheduler.schedule(() => subscriber.error(error()), limit) : undefined;
      };
      arm();
      const subscription = source.subscribe({
        next(event) {
          if (event.type !== 'opened') phase = 'streaming';
          else if (phase === 'opening') phase = 'awaitingFirstFrame';
          arm();
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        alarm?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
