import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { match } from 'ts-pattern';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { checkOptions, checkValue, RULES, type Rule } from '../validation.js';

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
  /** Between one frame and the next, or a heartbeat that explains why none came. */
  readonly stallTimeout: number;
}

/**
 * What the watchdog watches besides the attempt: its limits, and whether anyone wants frames.
 *
 * @example
 * ```ts
 * const config: WatchdogConfig = { openTimeout: 10_000, firstFrameTimeout: 20_000, stallTimeout: 5_000, demand$: of(true) };
 * ```
 */
export interface WatchdogConfig extends WatchdogLimits {
  /** Whether frames are wanted now, its current value on subscribe. Default: always. */
  readonly demand$?: Observable<boolean>;
}

/**
 * Fails a capture attempt that goes silent for too long in any phase: `OPEN_TIMEOUT` before
 * it opens, `STALLED` while it waits for its first frame or between frames.
 *
 * It watches delivery end to end: while frames are wanted (`demand$` true), only a frame (f)
 * proves the attempt works, so a break anywhere between the camera and the application is a
 * stall, however busy the source says it is. A heartbeat stands in for a frame only where it
 * explains why none comes: a rate cap (r) always, nobody wanting frames (h) only while
 * `demand$` says so. A change of demand starts the count afresh. Only what proves the attempt
 * works is passed on: a heartbeat that does not count goes no further.
 *
 * ```
 * source:   --o-----f--r--f--h--h--h--
 * captureWatchdog({ openTimeout: 5, firstFrameTimeout: 9, stallTimeout: 4 })
 * result:   --o-----f--r--f-------#        # = RtspError STALLED: the h do not count
 * ```
 *
 * @throws TypeError or RangeError for a missing or bad limit (`NaN` included): a watchdog never silently stops watching.
 *
 * @example
 * ```ts
 * source.open(request).pipe(captureWatchdog({ openTimeout: 10_000, firstFrameTimeout: 20_000, stallTimeout: 5_000, demand$ }));
 * // a camera that opens and then sends nothing errors after 5 s: RtspError STALLED 'no frame for 5000 ms'
 * ```
 */
export function captureWatchdog(config: WatchdogConfig, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<CaptureEvent> {
  checkOptions('captureWatchdog', config, WATCHDOG_RULES);
  for (const limit of ['openTimeout', 'firstFrameTimeout', 'stallTimeout'] as const) checkValue('captureWatchdog', `option ${limit}`, config[limit], RULES.timeout);
  const { openTimeout, firstFrameTimeout, stallTimeout, demand$ } = config;
  const phases = {
    opening: [openTimeout, () => new RtspError('OPEN_TIMEOUT', `the camera did not open within ${openTimeout} ms`)],
    awaitingFirstFrame: [firstFrameTimeout, () => new RtspError('STALLED', `no first frame within ${firstFrameTimeout} ms of opening`)],
    streaming: [stallTimeout, (unexplained: number) => new RtspError('STALLED', stallMessage(stallTimeout, unexplained))],
  } as const;

  return (source) =>
    new Observable<CaptureEvent>((subscriber) => {
      let phase: keyof typeof phases = 'opening';
      let wanted = true;
      /** Heartbeats since the last proof of delivery that did not explain the missing frames. */
      let unexplained = 0;
      let alarm: Subscription | undefined;
      const arm = (): void => {
        alarm?.unsubscribe();
        unexplained = 0;
        const [limit, error] = phases[phase];
        alarm = Number.isFinite(limit) ? scheduler.schedule(() => subscriber.error(error(unexplained)), limit) : undefined;
      };
      arm();
      const demand = demand$?.subscribe((value) => {
        if (value === wanted) return;
        wanted = value;
        if (phase === 'streaming') arm();
      });
      const subscription = source.subscribe({
        next(event) {
          const proof = match(event)
            .with({ type: 'opened' }, () => {
              if (phase === 'opening') phase = 'awaitingFirstFrame';
              return true;
            })
            .with({ type: 'frame' }, () => ((phase = 'streaming'), true))
            .with({ type: 'heartbeat' }, ({ reason }) => reason === 'rate-capped' || !wanted)
            .exhaustive();
          if (!proof) {
            // Passed on, it would tell those downstream that the attempt works.
            unexplained++;
            return;
          }
          if (event.type === 'heartbeat') phase = 'streaming';
          arm();
          subscriber.next(event);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        alarm?.unsubscribe();
        demand?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}

const WATCHDOG_RULES = {
  openTimeout: RULES.timeout,
  firstFrameTimeout: RULES.timeout,
  stallTimeout: RULES.timeout,
  demand$: RULES.observable,
} as const satisfies Record<keyof WatchdogConfig, Rule>;

function stallMessage(stallTimeout: number, unexplained: number): string {
  return unexplained === 0
    ? `no frame for ${stallTimeout} ms`
    : `no frame for ${stallTimeout} ms while frames were wanted, though the camera sent ${unexplained} picture(s): they did not reach the application`;
}
