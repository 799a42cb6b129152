import { asyncScheduler, identity, throwError, timeout, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import type { CaptureEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';

const LONGEST_TIMER = 2 ** 31 - 1;

/**
 * Fails a capture attempt that does not open within `openTimeout` ms with `OPEN_TIMEOUT`, and
 * one that goes `stallTimeout` ms without an event once open with `STALLED`. `Infinity` turns
 * either check off.
 *
 * ```
 * source:   ----o--f--f----------
 * watchdog(5, 4)
 * result:   ----o--f--f---#          # = RtspError STALLED
 * ```
 *
 * @example
 * ```ts
 * source.open(request).pipe(captureWatchdog(10_000, 5_000));
 * ```
 */
export function captureWatchdog(
  openTimeout: number,
  stallTimeout: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<CaptureEvent> {
  const each = Number.isFinite(stallTimeout) ? stallTimeout : undefined;
  // Without `first`, `timeout` would hold the open to the stall limit; and no timer can wait
  // longer than 2^31-1 ms, so that is what an open timeout turned off waits.
  const first = Number.isFinite(openTimeout) ? openTimeout : each === undefined ? undefined : LONGEST_TIMER;
  if (first === undefined && each === undefined) return identity;
  return timeout({
    first,
    each,
    scheduler,
    with: ({ seen }) =>
      throwError(() =>
        seen === 0
          ? new RtspError('OPEN_TIMEOUT', `the camera did not open within ${openTimeout} ms`)
          : new RtspError('STALLED', `no frame for ${stallTimeout} ms`),
      ),
  });
}
