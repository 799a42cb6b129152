import { asyncScheduler, defer, startWith, tap, type Observable, type SchedulerLike } from 'rxjs';
import type { Frame } from './capture-source.js';
import type { ConnectionState } from './connection-state.js';
import { resolveOptions, type RtspConnectionOptions } from './options.js';
import { selectConnectionState } from './operators/select-connection-state.js';
import { selectFrames } from './operators/select-frames.js';
import { shareConnection } from './operators/share-connection.js';
import { connectionEvents$, type RtspEvent } from './rtsp-events.js';

/**
 * One camera connection, shared: every stream below runs over the same single capture, opened
 * by the first subscriber to any of them and released when the last one leaves.
 *
 * @example
 * ```ts
 * const { frames$, connection$ }: RtspConnection = rtspConnection(url, { source });
 * ```
 */
export interface RtspConnection {
  /** States and frames in order; a newcomer gets the current state first. */
  readonly events$: Observable<RtspEvent>;
  /** Frames as they come; errors with `ReconnectExhaustedError` when the connection fails. */
  readonly frames$: Observable<Frame>;
  /** The connection's state; a newcomer gets the current one at once. Completes after `failed` or `closed`. */
  readonly connection$: Observable<ConnectionState>;
  /** Frames, where a newcomer gets the newest frame of the open connection at once. */
  readonly latest$: Observable<Frame>;
}

/**
 * Describes a shared connection to a camera. Nothing opens until something subscribes; then
 * `frames$`, `connection$`, `latest$` and `events$` all share one capture. A second
 * connection needs a second `rtspConnection` (or `rtspFrames$`, which is never shared).
 *
 * @example
 * ```ts
 * const camera = rtspConnection('rtsp://127.0.0.1:8554/cam', { source, releaseGrace: 2_000 });
 * camera.connection$.subscribe((state) => console.log(describeState(state)));
 * camera.frames$.pipe(sampleTime(500), map(detect)).subscribe(report); // same capture
 * ```
 */
export function rtspConnection(url: string, options: RtspConnectionOptions, scheduler: SchedulerLike = asyncScheduler): RtspConnection {
  const resolved = resolveOptions(url, options, scheduler);
  // The newest frame of the open connection, whoever keeps it open; forgotten when the
  // connection drops, so that latest$ never replays a picture from before an outage.
  let newest: Frame | undefined;
  const events$ = connectionEvents$(resolved, scheduler).pipe(
    tap({
      next: (event) => {
        if (event.type === 'frame') newest = event.frame;
        else if (event.state.status !== 'connected') newest = undefined;
      },
      finalize: () => (newest = undefined),
    }),
    shareConnection(resolved.releaseGrace, scheduler),
  );
  const frames$ = events$.pipe(selectFrames());
  return {
    events$,
    frames$,
    connection$: events$.pipe(selectConnectionState()),
    latest$: defer(() => (newest === undefined ? frames$ : frames$.pipe(startWith(newest)))),
  };
}
