import { asyncScheduler, concat, defer, EMPTY, finalize, interval, map, NEVER, Observable, take, throwError, timer, type SchedulerLike } from 'rxjs';
import type { CapturedFrame, CaptureEvent, CaptureRequest, CaptureSource, PixelFormat, StreamInfo } from '../capture-source.js';
import { RtspError, type RtspErrorCode } from '../errors.js';

/**
 * What one scripted attempt does. Times in milliseconds from the attempt's start.
 *
 * @example
 * ```ts
 * const flaky: FakeAttempt[] = [{ outcome: 'stream', frames: 100, then: 'stall' }, { outcome: 'refuse', code: 'UNAUTHORIZED' }];
 * ```
 */
export type FakeAttempt =
  /** Fails before opening, after `after` ms (default 0), with `code` (default `ECONNREFUSED`). */
  | { readonly outcome: 'refuse'; readonly after?: number; readonly code?: RtspErrorCode }
  /** Neither opens nor fails: only `openTimeout` ends it. */
  | { readonly outcome: 'hang' }
  /**
   * Opens after `openAfter` ms (default 0) and sends `frames` frames (default: without end) at
   * the source's frame rate, then: `drop` fails with `code` (default `ECONNRESET`), `stall`
   * goes silent, `end` completes.
   */
  | {
      readonly outcome: 'stream';
      readonly openAfter?: number;
      readonly frames?: number;
      readonly then?: 'drop' | 'stall' | 'end';
      readonly code?: RtspErrorCode;
    };

/**
 * Options of {@link fakeCaptureSource}.
 *
 * @example
 * ```ts
 * const hd: FakeCaptureSourceOptions = { width: 1280, height: 720, fps: 30, pixelFormat: 'rgb' };
 * ```
 */
export interface FakeCaptureSourceOptions {
  /** Default 64. */
  readonly width?: number;
  /** Default 48. */
  readonly height?: number;
  /** Frames per second. Default 25. */
  readonly fps?: number;
  /** Default `bgr`. Raw layouts only: the fake has no JPEG encoder. */
  readonly pixelFormat?: RawPixelFormat;
  /** One entry per attempt, in order; the last one repeats. Default: one endless stream. */
  readonly attempts?: readonly FakeAttempt[];
}

/**
 * A capture source that plays a script, and counts what it was asked to do.
 *
 * @example
 * ```ts
 * subscription.unsubscribe();
 * expect(source.active).toBe(0); // everything released
 * ```
 */
export interface FakeCaptureSource extends CaptureSource {
  /** How many attempts were started. */
  readonly opened: number;
  /** How many attempts are subscribed now: 0 once everything is released. */
  readonly active: number;
  /** The requests it received, in order. */
  readonly requests: readonly CaptureRequest[];
}

type RawPixelFormat = Exclude<PixelFormat, 'jpeg' | 'yuv420p'>;

const CHANNELS: Record<RawPixelFormat, number> = { bgr: 3, rgb: 3, gray: 1 };

/**
 * A scriptable capture source for tests, docs and demos: no camera, no network. It draws a
 * moving gradient, follows a script of attempts (refuse, hang, stream then drop, stall or
 * end), keeps time with the given scheduler (virtual time under `TestScheduler`), and counts
 * open attempts so tests can prove that everything was released.
 *
 * @example
 * ```ts
 * const source = fakeCaptureSource({
 *   attempts: [{ outcome: 'stream', frames: 50, then: 'drop' }, { outcome: 'refuse' }, { outcome: 'stream' }],
 * });
 * rtspFrames$('rtsp://127.0.0.1/fake', { source }).subscribe((frame) => console.log(frame.sequence)); // 1, 2, ... 50, then 51, ... after two reconnects
 * ```
 */
export function fakeCaptureSource(options: FakeCaptureSourceOptions = {}, scheduler: SchedulerLike = asyncScheduler): FakeCaptureSource {
  const { width = 64, height = 48, fps = 25, pixelFormat = 'bgr', attempts = [{ outcome: 'stream' }] } = options;
  if (attempts.length === 0) throw new RangeError('rtsp-rx: option attempts of fakeCaptureSource must hold at least one attempt');
  const info: StreamInfo = { width, height, fps, codec: 'fake' };
  const channels = CHANNELS[pixelFormat];
  const requests: CaptureRequest[] = [];
  let active = 0;
  let drawn = 0;

  const frame = (): CapturedFrame => {
    const data = Buffer.allocUnsafe(width * height * channels);
    const shift = drawn++;
    for (let row = 0; row < height; row++) data.fill((row * 4 + shift * 8) & 0xff, row * width * channels, (row + 1) * width * channels);
    return { data, width, height, channels, pixelFormat, capturedAt: scheduler.now() };
  };

  const play = (attempt: FakeAttempt): Observable<CaptureEvent> => {
    switch (attempt.outcome) {
      case 'refuse':
        return timer(attempt.after ?? 0, scheduler).pipe(
          map(() => {
            throw new RtspError(attempt.code ?? 'ECONNREFUSED', 'fake camera refused the connection');
          }),
        );
      case 'hang':
        return NEVER;
      case 'stream': {
        const frames$ = interval(1000 / fps, scheduler).pipe(
          take(attempt.frames ?? Infinity),
          map((): CaptureEvent => ({ type: 'frame', frame: frame() })),
        );
        const after$ = { drop: throwError(() => new RtspError(attempt.code ?? 'ECONNRESET', 'fake camera dropped the stream')), stall: NEVER, end: EMPTY }[attempt.then ?? 'drop'];
        return concat(timer(attempt.openAfter ?? 0, scheduler).pipe(map((): CaptureEvent => ({ type: 'opened', info }))), frames$, after$);
      }
    }
  };

  return {
    open(request) {
      return defer(() => {
        const attempt = attempts[Math.min(requests.length, attempts.length - 1)] as FakeAttempt;
        requests.push(request);
        active++;
        return play(attempt).pipe(finalize(() => active--));
      });
    },
    get opened() {
      return requests.length;
    },
    get active() {
      return active;
    },
    requests,
  };
}
