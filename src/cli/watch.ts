import { combineLatest, scan, startWith, type Observable } from 'rxjs';
import type { CaptureSource, RtspEvent } from '../capture-source.js';
import { redactUrl } from '../camera-address.js';
import type { ConnectionState } from '../connection-state.js';
import { rtspEvents$ } from '../rtsp-events.js';

/** One camera as `rtsp-rx watch` shows it. */
export interface CameraStatus {
  readonly url: string;
  readonly state: ConnectionState;
  /** When the state began, on the clock given to {@link cameraStatus$}. */
  readonly stateSince: number;
  /** When the frames of the last second came. */
  readonly recentFrames: readonly number[];
  readonly lastFrameAt: number | undefined;
  readonly reconnects: number;
  /** The cause of the last drop or failure. */
  readonly lastError: string | undefined;
}

/** Frames are only counted: the smallest gray picture costs the least to convert and move. */
export const WATCH_CAPTURE = { pixelFormat: 'gray', size: { width: 64, height: 36 } } as const;

/**
 * A camera's connection, followed as its events come: state, frames of the last second,
 * reconnects and the last error. Never completes while the camera is retried.
 *
 * @example
 * ```ts
 * cameraStatus$('rtsp://127.0.0.1:8554/cam', source).subscribe((status) => console.log(status.state.status, status.recentFrames.length));
 * // connecting 0, connected 0, connected 1, ... connected 25
 * ```
 */
export function cameraStatus$(url: string, source: CaptureSource, now: () => number = Date.now): Observable<CameraStatus> {
  const initial: CameraStatus = { url: redactUrl(url), state: { status: 'connecting', attempt: 0 }, stateSince: now(), recentFrames: [], lastFrameAt: undefined, reconnects: 0, lastError: undefined };
  return rtspEvents$(url, { source }).pipe(
    scan((status: CameraStatus, event: RtspEvent): CameraStatus => {
      const at = now();
      if (event.type === 'frame') return { ...status, recentFrames: [...status.recentFrames.filter((time) => at - time < 1000), at], lastFrameAt: at };
      const { state } = event;
      const reconnects = status.reconnects + (state.status === 'connecting' && state.attempt > 0 ? 1 : 0);
      const lastError = state.status === 'reconnecting' || state.status === 'failed' ? `${state.cause.code}: ${state.cause.message}` : status.lastError;
      return { ...status, state, stateSince: at, reconnects, lastError };
    }, initial),
    startWith(initial),
  );
}

/**
 * Every camera's status, in the order of the URLs.
 *
 * @example
 * ```ts
 * watchCameras([door, yard], source).subscribe((statuses) => console.log(statuses.length)); // 2, 2, ...
 * ```
 */
export function watchCameras(urls: readonly string[], source: CaptureSource, now: () => number = Date.now): Observable<readonly CameraStatus[]> {
  return combineLatest(urls.map((url) => cameraStatus$(url, source, now)));
}

/**
 * The table `rtsp-rx watch` draws on a terminal, a line per camera under a header.
 *
 * @example
 * ```ts
 * statusTable(statuses, Date.now());
 * // camera                      state           fps   age     reconnects  last error
 * // rtsp://127.0.0.1:8554/door  connected 12 s  25    21 ms   0
 * ```
 */
export function statusTable(statuses: readonly CameraStatus[], at: number): string[] {
  const rows = statuses.map((status) => [
    status.url,
    `${status.state.status} ${seconds(at - status.stateSince)}`,
    String(fps(status, at)),
    status.lastFrameAt === undefined ? '-' : `${at - status.lastFrameAt} ms`,
    String(status.reconnects),
    status.lastError ?? '',
  ]);
  const header = ['camera', 'state', 'fps', 'age', 'reconnects', 'last error'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 2))).join('').trimEnd());
}

/**
 * A camera's status as a line of its own, for output that is not a terminal.
 *
 * @example
 * ```ts
 * statusLine(status, Date.now()); // 'rtsp://127.0.0.1:8554/door: connected 12 s, 25 fps, last frame 21 ms ago, 0 reconnects'
 * ```
 */
export function statusLine(status: CameraStatus, at: number): string {
  const frame = status.lastFrameAt === undefined ? 'no frame yet' : `last frame ${at - status.lastFrameAt} ms ago`;
  const error = status.lastError === undefined ? '' : `; last error ${status.lastError}`;
  return `${status.url}: ${status.state.status} ${seconds(at - status.stateSince)}, ${fps(status, at)} fps, ${frame}, ${status.reconnects} reconnects${error}`;
}

/** Frames in the last second, as of `at`. */
const fps = (status: CameraStatus, at: number): number => status.recentFrames.filter((time) => at - time < 1000).length;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

