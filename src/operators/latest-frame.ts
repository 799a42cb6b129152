import { asyncScheduler, distinctUntilChanged, filter, map, pipe, ReplaySubject, share, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Frame, RtspEvent } from '../capture-source.js';
import { sharingReset, type SharingConfig } from './sharing-config.js';

/**
 * The newest frame of a connection, shared: each frame as it comes, and `undefined` as soon as
 * the connection is anything but `connected`, so that nobody mistakes a picture from before an
 * outage for a live one. A newcomer gets the current value at once. A configuration of
 * `share`, as `shareReplay` is; ref-counted like {@link shareConnection}.
 *
 * ```
 * events:      -c-k-a-b-r-c-k-d-       c connecting, k connected, r reconnecting
 * latestFrame()
 * subscriber1: ^----------------
 * result1:     -u---a-b-u-----d-       u = undefined
 * subscriber2: ------^----------
 * result2:     ------ab-u-----d-       a = the newest frame, replayed
 * ```
 *
 * @throws TypeError or RangeError for a bad `grace`.
 *
 * @example
 * ```ts
 * const newest$ = rtspEvents$(url, { source }).pipe(latestFrame({ grace: 5_000 }));
 * newest$.subscribe((frame) => console.log(frame?.sequence)); // undefined, 1, 2, 3, ...
 * ```
 */
export function latestFrame(config: SharingConfig = {}, scheduler: SchedulerLike = asyncScheduler): OperatorFunction<RtspEvent, Frame | undefined> {
  return pipe(
    filter((event) => event.type === 'frame' || event.state.status !== 'connected'),
    map((event) => (event.type === 'frame' ? event.frame : undefined)),
    distinctUntilChanged(),
    share({ connector: () => new ReplaySubject<Frame | undefined>(1), ...sharingReset<Frame | undefined>('latestFrame', config, scheduler) }),
  );
}
