import { asyncScheduler, ReplaySubject, share, timer, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { Frame } from '../capture-source.js';

/**
 * Options of {@link latestFrame}.
 *
 * @example
 * ```ts
 * const options: LatestFrameOptions = { grace: 5_000 };
 * ```
 */
export interface LatestFrameOptions {
  /**
   * When the last subscriber leaves, keep the source subscribed this many milliseconds in case
   * another one comes. Default 0: release at once.
   */
  readonly grace?: number;
}

/**
 * Shares one subscription to the source among all subscribers and hands each newcomer the
 * newest value at once: the reactive `read()`. Ref-counted: the source is released when the
 * last subscriber leaves (after `grace` ms), and a later subscriber opens it anew.
 *
 * ```
 * source:      -a-b-c-d-|
 * latestFrame()
 * subscriber1: ^-------!
 * result1:     -a-b-c-d
 * subscriber2: ----^---!
 * result2:     ----bc-d
 * ```
 *
 * @example
 * ```ts
 * const latest$ = rtspFrames$(url, { source }).pipe(latestFrame({ grace: 5_000 }));
 * latest$.pipe(sampleTime(1_000), map(detect)).subscribe(report);
 * ```
 */
export function latestFrame<T = Frame>(options: LatestFrameOptions = {}, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<T> {
  const grace = options.grace ?? 0;
  if (typeof grace !== 'number' || !(grace >= 0 && grace < Infinity)) {
    throw new RangeError(`rtsp-rx: option grace must be a finite number of milliseconds of at least 0; got ${String(grace)}`);
  }
  return share<T>({
    connector: () => new ReplaySubject<T>(1),
    resetOnError: true,
    resetOnComplete: true,
    resetOnRefCountZero: grace > 0 ? () => timer(grace, scheduler) : true,
  });
}
