import type { Observable } from 'rxjs';
import type { CameraAddress } from './camera-address.js';
import type { ConnectionState } from './connection-state.js';

/**
 * How the bytes of a frame are laid out: raw pixels, one byte per channel, rows top to
 * bottom (`bgr`, `rgb`, `gray`); I420 (`yuv420p`: the full-size Y plane, then the U and V
 * planes at half the width and height, rounded up), what most detectors take and half the
 * bytes of BGR; or a whole JPEG picture (`jpeg`), ready for a browser.
 *
 * @example
 * ```ts
 * const channels = frame.pixelFormat === 'gray' ? 1 : 3;
 * ```
 */
export type PixelFormat = 'bgr' | 'rgb' | 'gray' | 'yuv420p' | 'jpeg';

/**
 * What a capture source learns about a stream when it opens it.
 *
 * @example
 * ```ts
 * const info: StreamInfo = { width: 1920, height: 1080, fps: 25, codec: 'h264' };
 * ```
 */
export interface StreamInfo {
  readonly width: number;
  readonly height: number;
  /** Frames per second the stream announces; `undefined` when it announces none. */
  readonly fps: number | undefined;
  /** Codec name such as `h264`, when known. */
  readonly codec?: string;
  /** How RTP travels, `tcp` (interleaved on the RTSP connection) or `udp`, when the source says. */
  readonly transport?: 'tcp' | 'udp';
  /** The id of the process that decodes the stream, for a source that runs one: whose CPU and memory the stream costs. */
  readonly pid?: number;
}

/**
 * A decoded picture as a capture source delivers it: plain data, no native handle.
 *
 * @example
 * ```ts
 * const black: CapturedFrame = { data: Buffer.alloc(4 * 3 * 3), width: 4, height: 3, channels: 3,
 *                                pixelFormat: 'bgr', capturedAt: Date.now() };
 * ```
 */
export interface CapturedFrame {
  /**
   * Pixel data, `height` rows of `width * channels` bytes; with `pixelFormat: 'yuv420p'`, the
   * three planes one after the other (`channels` is 1); with `pixelFormat: 'jpeg'`, a JPEG
   * file of the picture. Plain, GC-managed memory that belongs to whoever receives the frame:
   * rtsp-rx never writes into it once it is handed out.
   */
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly pixelFormat: PixelFormat;
  /**
   * When the source decoded the picture, in milliseconds since the epoch, by the source's own
   * clock: the wall clock (`Date.now()`) for a source that talks to cameras, taken in the
   * process that decoded it; the scheduler's `now()` for `fakeCaptureSource`, so that virtual
   * time stays consistent. Never the scheduler passed to `rtspFrames$`: a capture process
   * cannot see it. `Date.now() - capturedAt` is a frame's age since decoding.
   */
  readonly capturedAt: number;
  /**
   * How many decoded frames the source skipped since the previous one it delivered: to stay
   * fresh, to keep a frame-rate cap, or because a bounded queue was full. Absent when none.
   */
  readonly dropped?: number;
}

/**
 * A frame as rtsp-rx hands it out: a {@link CapturedFrame} with its place in the connection.
 *
 * @example
 * ```ts
 * frames$.subscribe((frame) => console.log(`#${frame.sequence} ${frame.width}x${frame.height}, ${Date.now() - frame.capturedAt} ms old`));
 * ```
 */
export interface Frame extends CapturedFrame {
  /** Starts at 1 and keeps rising across reconnects of one connection. */
  readonly sequence: number;
}

/**
 * Why a source decoded a picture and did not deliver it: nobody wants frames now (`unwanted`:
 * `demand$` is false, or the application has not asked for the next frame yet), or a
 * frame-rate cap holds it back (`rate-capped`).
 *
 * @example
 * ```ts
 * const reason: HeartbeatReason = credit > 0 ? 'rate-capped' : 'unwanted';
 * ```
 */
export type HeartbeatReason = 'unwanted' | 'rate-capped';

/**
 * What one attempt to connect emits: first `opened`, then frames. A later `opened` announces
 * new stream info (a resolution change). A `heartbeat` says the camera sent a picture that the
 * source did not pass on, and why: the camera is alive, though no frame comes. The attempt ends
 * by erroring (drop, refusal, timeout) or by completing (the end of a finite source).
 *
 * The watchdog believes a heartbeat only where it explains the missing frames: a `rate-capped`
 * one always, an `unwanted` one only while `demand$` says nobody wants frames. While frames are
 * wanted, only frames keep the attempt alive, whatever the source says.
 *
 * @example
 * ```ts
 * const events: CaptureEvent[] = [{ type: 'opened', info }, { type: 'frame', frame }, { type: 'heartbeat', reason: 'rate-capped' }];
 * ```
 */
export type CaptureEvent =
  | { readonly type: 'opened'; readonly info: StreamInfo }
  | { readonly type: 'frame'; readonly frame: CapturedFrame }
  | { readonly type: 'heartbeat'; readonly reason: HeartbeatReason };

/**
 * Everything one connection tells: its state changes and its frames, in order. What a
 * capture source's {@link CaptureEvent}s become once the core has numbered the frames and
 * followed the connection's state.
 *
 * @example
 * ```ts
 * const onEvent = (event: RtspEvent) => (event.type === 'frame' ? draw(event.frame) : show(event.state));
 * ```
 */
export type RtspEvent =
  | { readonly type: 'state'; readonly state: ConnectionState }
  | { readonly type: 'frame'; readonly frame: Frame };

/**
 * What rtsp-rx asks of a capture source for one attempt.
 *
 * @example
 * ```ts
 * const source: CaptureSource = { open: ({ address, attempt, demand$ }) => openCamera(address.url, { warmStart: attempt > 0, demand$ }) };
 * ```
 */
export interface CaptureRequest {
  /**
   * The camera: `url` to open, credentials included, `redacted` for logs, and `scrub` for any
   * text the source quotes from below (never log the URL as it is).
   */
  readonly address: CameraAddress;
  /** 0 for the first attempt, then the number of the reconnect attempt. */
  readonly attempt: number;
  /**
   * Whether anyone wants frames now; it gives its current value on subscribe. While it says
   * `false` a source may keep the stream open and decode without converting or sending, and
   * say so with `unwanted` heartbeats; when it says `true` the newest picture should go out.
   */
  readonly demand$: Observable<boolean>;
}

/**
 * Anything that can turn a URL into frames: the one seam between the reactive core and the
 * code that talks to cameras.
 *
 * `open` returns a cold Observable: subscribing starts the attempt, unsubscribing must release
 * everything it holds. Errors should be {@link RtspError}s with a stable `code`; anything else
 * is reported as `CAPTURE_ERROR`.
 *
 * @example
 * ```ts
 * const still: CaptureSource = {
 *   open: () => of(
 *     { type: 'opened', info: { width: 1, height: 1, fps: undefined } },
 *     { type: 'frame', frame: { data: Buffer.alloc(3), width: 1, height: 1, channels: 3,
 *                               pixelFormat: 'bgr', capturedAt: Date.now() } },
 *   ),
 * };
 * ```
 */
export interface CaptureSource {
  open(request: CaptureRequest): Observable<CaptureEvent>;
}
