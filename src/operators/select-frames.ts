import { filter, map, pipe, tap, type OperatorFunction } from 'rxjs';
import { givingUpError } from '../connection-state.js';
import type { Frame, RtspEvent } from '../capture-source.js';

/**
 * Keeps the frames of a connection's events, and turns its `failed` state into an error: a
 * `ReconnectExhaustedError`, or the permanent cause (`UNAUTHORIZED`, `NOT_FOUND`, ...).
 *
 * ```
 * events:  c-k-a-b-r--c-F|       c k r = states, a b = frames, F = failed
 * selectFrames()
 * result:  ----a-b------#        # = ReconnectExhaustedError, or the permanent cause
 * ```
 *
 * @example
 * ```ts
 * rtspEvents$(url, { source }).pipe(selectFrames()).subscribe((frame) => console.log(frame.sequence)); // 1, 2, 3, ...
 * ```
 */
export function selectFrames(): OperatorFunction<RtspEvent, Frame> {
  return pipe(
    tap((event) => {
      if (event.type === 'state' && event.state.status === 'failed') {
        throw givingUpError(event.state);
      }
    }),
    filter((event): event is Extract<RtspEvent, { type: 'frame' }> => event.type === 'frame'),
    map((event) => event.frame),
  );
}
