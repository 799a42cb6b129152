import { asyncScheduler, concat, EMPTY, of, share, Subject, timer, type MonoTypeOperatorFunction, type SchedulerLike, type SubjectLike } from 'rxjs';
import type { RtspEvent } from '../rtsp-events.js';

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
 * @example
 * ```ts
 * const events$ = rtspEvents$(url, { source }).pipe(shareConnection(2_000));
 * ```
 */
export function shareConnection(grace = 0, scheduler: SchedulerLike = asyncScheduler): MonoTypeOperatorFunction<RtspEvent> {
  return share({
    connector: stateReplayingSubject,
    resetOnError: true,
    resetOnComplete: true,
    resetOnRefCountZero: grace > 0 ? () => timer(grace, scheduler) : true,
  });
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
