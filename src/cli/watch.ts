import { catchError, combineLatest, defer, EMPTY, finalize, ignoreElements, map, merge, type Observable } from 'rxjs';
import type { CaptureSource } from '../capture-source.js';
import { redactUrl } from '../camera-address.js';
import type { CameraMetrics } from '../operators/camera-metrics.js';
import { rtspCameras } from '../rtsp-cameras.js';

/** One camera as `rtsp-rx watch` shows it: its metrics, and its URL with the password masked. */
export interface CameraStatus extends CameraMetrics {
  readonly url: string;
}

/** Frames are only counted: the smallest gray picture costs the least to convert and move. */
export const WATCH_CAPTURE = { pixelFormat: 'gray', size: { width: 64, height: 36 } } as const;

/**
 * Every camera's status, in the order of the URLs: the cameras of a registry, their frames
 * taken to be counted, their metrics after every change and once a second. Never completes
 * while the cameras are retried; unsubscribing releases them.
 *
 * @example
 * ```ts
 * watchCameras([door, yard], source).subscribe((statuses) => console.log(statuses.map((status) => `${status.state.status} ${status.fps}`)));
 * // ['connecting 0', 'connecting 0'], ['connected 0', 'connecting 0'], ... ['connected 25', 'reconnecting 0']
 * ```
 */
export function watchCameras(urls: readonly string[], source: CaptureSource): Observable<readonly CameraStatus[]> {
  return defer(() => {
    const cameras = rtspCameras({ source, cameras: Object.fromEntries(urls.map((url, index) => [`camera${index + 1}`, { url }])) });
    const statuses$ = combineLatest(cameras.names.map((name, index) => cameras.get(name).metrics$.pipe(map((metrics) => ({ ...metrics, url: redactUrl(urls[index]!) })))));
    // Taken only to be counted; a camera that gives up shows as failed.
    const taking$ = merge(...cameras.names.map((name) => cameras.get(name).frames$.pipe(catchError(() => EMPTY)))).pipe(ignoreElements());
    return merge(statuses$, taking$).pipe(finalize(() => cameras.close()));
  });
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
    String(status.fps),
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
  return `${status.url}: ${status.state.status} ${seconds(at - status.stateSince)}, ${status.fps} fps, ${frame}, ${status.reconnects} reconnects${error}`;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

