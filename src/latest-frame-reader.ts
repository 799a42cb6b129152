import type { Observable } from 'rxjs';
import type { Frame, RtspEvent } from './capture-source.js';
import { CLOSED, type ConnectionState } from './connection-state.js';
import { latestFrame } from './operators/latest-frame.js';
import { selectConnectionState } from './operators/select-connection-state.js';
import { shareConnection } from './operators/share-connection.js';

/**
 * A synchronous view of a connection, for code that polls rather than subscribes.
 *
 * @example
 * ```ts
 * const reader: LatestFrameReader = latestFrameReader(camera.events$);
 * if (reader.isConnected) detect(reader.read()!);
 * ```
 */
export interface LatestFrameReader extends Disposable {
  /**
   * The newest frame while connected; `undefined` before the first frame, while reconnecting,
   * and after `close()`, so a poller never mistakes an old picture for a live one.
   */
  read(): Frame | undefined;
  /** True while the camera is connected. */
  readonly isConnected: boolean;
  /** The connection's current state. */
  readonly state: ConnectionState;
  /** Stops reading: releases the connection unless others still use it. Idempotent. */
  close(): void;
}

/**
 * Subscribes to a connection's events now and keeps the newest frame and state for `read()`,
 * `isConnected` and `state`: the shape of a `VideoStream` in Python's rtsp-stream.
 *
 * @example
 * ```ts
 * using reader = latestFrameReader(rtspConnection(url, { source }).events$);
 * setInterval(() => {
 *   const frame = reader.read();
 *   console.log(frame?.sequence, reader.isConnected); // undefined false, then 25 true, 50 true, ...
 * }, 1_000);
 * ```
 */
export function latestFrameReader(events$: Observable<RtspEvent>): LatestFrameReader {
  let state: ConnectionState = CLOSED;
  let frame: Frame | undefined;
  // One subscription to the events, whether or not they come shared.
  const shared$ = events$.pipe(shareConnection());
  // rtspEvents$ never errors, but a hand-made event stream might: its error must not reach
  // RxJS's unhandled-error report, which throws it out of a timer and ends the process.
  const subscription = shared$.pipe(selectConnectionState()).subscribe({ next: (next) => (state = next), error: () => undefined });
  subscription.add(shared$.pipe(latestFrame()).subscribe({ next: (next) => (frame = next), error: () => undefined }));
  const close = (): void => {
    subscription.unsubscribe();
    frame = undefined;
    if (state.status !== 'failed') state = CLOSED;
  };
  return {
    read: () => frame,
    get isConnected() {
      return state.status === 'connected';
    },
    get state() {
      return state;
    },
    close,
    [Symbol.dispose]: close,
  };
}
