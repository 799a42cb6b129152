import type { ServerResponse } from 'node:http';
import { concat, concatMap, defaultIfEmpty, Observable, of, repeat, take, takeWhile, type Subscription } from 'rxjs';
import type { Frame } from '../capture-source.js';

const BOUNDARY = 'rtsp-rx-frame';

/**
 * Sends `frames$` to an HTTP client as a live MJPEG stream (`multipart/x-mixed-replace`), the
 * format an `<img>` tag plays. The frames must be `pixelFormat: 'jpeg'`.
 *
 * The client pulls: `frames$` is subscribed for one frame, which is written, and only once the
 * kernel has taken all of it is the next one asked for. So at most one frame is on its way to
 * a client, a slow client gets fewer frames, never a growing queue, and with `RtspCameras` the
 * capture encodes no more pictures than the clients take. Since each part is a subscription
 * of its own, `frames$` must be shared and its camera held open between parts: a camera of
 * `RtspCameras`, an `RtspStream`, or an `rtspConnection` whose `connection$` something
 * subscribes to. A cold `rtspFrames$`, or a connection nothing else holds, would open the
 * camera for each frame. The stream ends when the client goes away, and ends the response
 * when `frames$` ends.
 *
 * Works with any Node.js response: `node:http`'s, Express's `res`, Nest's `@Res()`, and
 * Fastify's `reply.raw` after `reply.hijack()`.
 *
 * ```
 * frames$:   --a--b--c--d--e--f-|
 * socket:      a------>  d--->f>     each written out, then the next frame is asked for
 * response:  --a--------d-----f-|
 * ```
 *
 * @example
 * ```ts
 * const demand = new CameraDemand();
 * const camera = rtspConnection(url, { source: opencvCaptureSource({ pixelFormat: 'jpeg' }), demand$: demand.demand$ });
 * camera.connection$.subscribe((state) => console.log(describeState(state))); // holds the camera open
 * const frames$ = demand.taking(camera.frames$);
 * createServer((request, response) => streamMjpeg(frames$, response)).listen(8080, '127.0.0.1');
 * // GET http://127.0.0.1:8080/ answers, part after part:
 * // --rtsp-rx-frame
 * // Content-Type: image/jpeg
 * // Content-Length: 14223
 * // X-Captured-At: 1767225600480
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
  const part$ = frames$.pipe(
    take(1),
    concatMap((frame) => concat(writePart(response, frame), of(true))),
    // frames$ ended without a frame: so does the stream.
    defaultIfEmpty(false),
  );
  const subscription = part$.pipe(repeat(), takeWhile(Boolean)).subscribe({
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
