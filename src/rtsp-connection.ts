import { asyncScheduler, filter, ignoreElements, merge, type Observable, type SchedulerLike } from 'rxjs';
import { cameraAddress, type CameraAddress } from './camera-address.js';
import { CameraDemand } from './camera-demand.js';
import type { Frame, RtspEvent } from './capture-source.js';
import type { ConnectionState } from './connection-state.js';
import { latestFrame } from './operators/latest-frame.js';
import { selectConnectionState } from './operators/select-connection-state.js';
import { selectFrames } from './operators/select-frames.js';
import { shareConnection } from './operators/share-connection.js';
import { resolveOptions, type ResolvedOptions, type RtspConnectionOptions } from './options.js';
import { connectionEvents$ } from './rtsp-events.js';

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
  /** Frames, where a newcomer gets the newest frame of the open connection at once; never one from before an outage. */
  readonly latest$: Observable<Frame>;
}

/**
 * Describes a shared connection to a camera. Nothing opens until something subscribes; then
 * `frames$`, `connection$`, `latest$` and `events$` all share one capture. A second
 * connection needs a second `rtspConnection` (or `rtspFrames$`, which is never shared).
 *
 * Unless `demand$` is given, frames are wanted while anyone subscribes to `frames$`,
 * `latest$` or `events$`: a connection watched only through `connection$` keeps the camera
 * open and decodes, but converts and sends no frame, at a fraction of the cost of streaming.
 *
 * @throws TypeError or RangeError naming the option, for a bad URL or option.
 *
 * @example
 * ```ts
 * const camera = rtspConnection('rtsp://127.0.0.1:8554/cam', { source, releaseGrace: 2_000 });
 * camera.connection$.subscribe((state) => console.log(describeState(state))); // connecting, connected 1920x1080 @ 25 fps h264
 * camera.frames$.pipe(sampleTime(500), map(detect)).subscribe(report); // same capture
 * ```
 */
export function rtspConnection(url: string, options: RtspConnectionOptions, scheduler: SchedulerLike = asyncScheduler): RtspConnection {
  return connectionOf('rtspConnection', cameraAddress('rtspConnection', url), options, scheduler);
}

/** {@link rtspConnection} to an address already parsed, with errors that start with `context`: the entry point the user called. */
export function connectionOf(context: string, address: CameraAddress, options: RtspConnectionOptions, scheduler: SchedulerLike): RtspConnection {
  // Bad options go as they are to resolveOptions, which says what is wrong with them.
  if (typeof options !== 'object' || options === null || options.demand$ !== undefined) return sharedConnection(resolveOptions(context, address, options, scheduler), scheduler);
  const demand = new CameraDemand();
  const connection = sharedConnection(resolveOptions(context, address, { ...options, demand$: demand.demand$ }, scheduler), scheduler);
  return {
    events$: demand.taking(connection.events$),
    frames$: demand.taking(connection.frames$),
    connection$: connection.connection$,
    latest$: demand.taking(connection.latest$),
  };
}

/** {@link rtspConnection} for options already checked. */
export function sharedConnection(options: ResolvedOptions, scheduler: SchedulerLike): RtspConnection {
  const shared$ = connectionEvents$(options, scheduler).pipe(shareConnection({}, scheduler));
  // The newest frame, known whichever view keeps the connection open. It is also what holds
  // the connection through the grace period: the shared events release at once after it.
  const newest$ = shared$.pipe(latestFrame({ grace: options.release }, scheduler));
  const keepingNewest = <T>(view$: Observable<T>): Observable<T> => merge(newest$.pipe(ignoreElements()), view$);
  const events$ = keepingNewest(shared$);
  return {
    events$,
    frames$: events$.pipe(selectFrames()),
    connection$: events$.pipe(selectConnectionState()),
    latest$: newest$.pipe(filter((frame) => frame !== undefined)),
  };
}
