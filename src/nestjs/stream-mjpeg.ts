import type { ServerResponse } from 'node:http';
import { exhaustMap, Observable, type Subscription } from 'rxjs';
import type { Frame } from '../capture-source.js';

const BOUNDARY = 'rtsp-rx-frame';

/**
 * Sends `frames$` to an HTTP client as a live MJPEG stream (`multipart/x-mixed-replace`), the
 * format an `<img>` tag plays. The frames must be `pixelFormat: 'jpeg'`.
 *
 * At most one frame is on its way to a client: frames that arrive while the previous one is
 * still being written (the kernel has not taken all of it) are skipped, so a slow client gets fewer
 * frames, never a growing queue. The stream ends when the client goes away, and ends the
 * response when `frames$` ends.
 *
 * Works with any Node.js response: Nest's `@Res()` on Express, Express itself, `node:http`.
 *
 * ```
 * frames$:   --a--b--c--d--e--|
 * socket:      [a....][c...]  a written out, then c
 * response:  --a-----c-----e--|
 * ```
 *
 * @example
 * ```ts
 * @Get(':name/live.mjpeg')
 * live(@Param('name') name: string, @Res() response: Response) {
 *   streamMjpeg(this.cameras.frames$(name), response);
 * }
 * ```
 */
export function streamMjpeg(frames$: Observable<Frame>, response: ServerResponse): Subscription {
  response.writeHead(200, {
    'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
    'Cache-Control': 'no-store',
    // A proxy that buffers would turn the live picture into a growing backlog.
    'X-Accel-Buffering': 'no',
  });
  // The client knows the stream is on even while the camera is down.
  response.flushHeaders();
  const subscription = frames$.pipe(exhaustMap((frame) => writePart(response, frame))).subscribe({
    complete: () => response.end(),
    error: () => response.destroy(),
  });
  response.once('close', () => subscription.unsubscribe());
  return subscription;
}

/** Writes one frame as a part; completes once the socket has taken it. */
function writePart(response: ServerResponse, frame: Frame): Observable<never> {
  return new Observable<never>((subscriber) => {
    if (frame.pixelFormat !== 'jpeg') {
      throw new TypeError(`rtsp-rx: streamMjpeg needs frames with pixelFormat 'jpeg'; got ${JSON.stringify(frame.pixelFormat)}`);
    }
    // Completes when the kernel has the whole part, not merely Node's buffer: then at most one
    // frame ever waits for this client in the application.
    response.cork();
    response.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.data.length}\r\nX-Captured-At: ${frame.capturedAt}\r\n\r\n`);
    response.write(frame.data);
    response.write('\r\n', () => subscriber.complete());
    response.uncork();
  });
}
