import { asyncScheduler, concat, EMPTY, of, share, Subject, type MonoTypeOperatorFunction, type SchedulerLike, type SubjectLike } from 'rxjs';
import type { RtspEvent } from '../capture-source.js';
import { sharingReset, type SharingConfig } from './sharing-config.js';

/**
 * Shares one connection among all subscribers. A newcomer gets the current connection state
 * at once, then everything that follows; it never gets an old frame. Ref-counted: the camera
 * is released when the last subscriber leaves (after `grace` ms), and a later subscriber
 * opens it anew.
 *
 * ```
 * events:      c-k-a-b-c-
 * shareConnection()
 * subscriber1: ^---------
 * result1:     c-k-a-b-c-
 * subscriber2: -----^----
 * result2:     -----kb-c-       k = the current state, replayed
 * ```
 *
 * @throws TypeError or RangeError for a bad `grace`.
 *
 * @example
 * ```ts
 * const events$ = rtspEvents$(url, { source }).pipe(shareConnection({ grace: 2_000 }));
 * events$.pipe(selectConnectionState()).subscribe((state) => console.log(state.status)); // 'connecting', 'connected', ...
 * ```
 */
export function shareConnection(config: SharingConfig = {}, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<RtspEvent> {
  return share({ connector: stateReplayingSubject, ...sharingReset<RtspEvent>('shareConnection', config, scheduler) });
}

function stateReplayingSubject(): SubjectLike<RtspEvent> {
  const subject = new Subject<RtspEvent>();
  let current: RtspEvent | undefined;
  return {
    next(event) {
      if (event.type === 'state') current = event;
      subject.next(event);
    },
    error: (error: unknown) => subject.error(error),
    complete: () => subject.complete(),
    subscribe: (observer) => concat(current === undefined ? EMPTY : of(current), subject).subscribe(observer),
  };
}
