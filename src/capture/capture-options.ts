import type { PixelFormat } from '../capture-source.js';
import { RULES, type Rule } from '../validation.js';
import type { Transport } from './transport-fallback.js';

/**
 * The options both capture sources take, and mean the same by. Times in milliseconds.
 *
 * @example
 * ```ts
 * // A detector at 2 frames a second on small gray pictures, from either source:
 * const light: CaptureOptions = { maxFps: 2, size: { width: 320, height: 180 }, pixelFormat: 'gray' };
 * ```
 */
export interface CaptureOptions {
  /**
   * How RTP travels. `auto` (default): over the RTSP connection (TCP: no lost packets, no
   * smeared frames), and over UDP for a camera that refuses that (RTSP 461), remembered for
   * that camera from then on. `tcp` or `udp` forces one; a camera that refuses it fails with
   * `UNSUPPORTED_TRANSPORT`.
   */
  readonly transport?: Transport;
  /** FFmpeg's socket timeout for the open and for each read. Default 10000. */
  readonly ioTimeout?: number;
  /**
   * Layout of delivered frames, made where the picture is decoded (the capture process, or
   * ffmpeg). Default `bgr`. `jpeg` is encoded there too, so a web endpoint pays no encoding
   * on its event loop, and only for the frames it takes.
   */
  readonly pixelFormat?: PixelFormat;
  /** JPEG quality from 1 to 100, for `pixelFormat: 'jpeg'`. Default 80. */
  readonly jpegQuality?: number;
  /** Scale to this size where the picture is decoded, before it is converted or copied anywhere. */
  readonly size?: { readonly width: number; readonly height: number };
  /** Deliver at most this many frames a second; the others are decoded only. */
  readonly maxFps?: number;
  /**
   * `latest` (default): a slow consumer gets the newest frame, never a backlog, and no
   * picture FFmpeg buffered while opening. `queue`: every frame in order, for recording;
   * `frame.dropped` counts what was lost.
   */
  readonly delivery?: 'latest' | 'queue';
  /** Where the capture's own messages (OpenCV, FFmpeg) go, passwords removed. Default: `NODE_DEBUG=rtsp-rx`. */
  readonly log?: (line: string) => void;
}

/** The rule of each option of {@link CaptureOptions}, which each source's rules extend. */
export const CAPTURE_RULES = {
  transport: RULES.oneOf('auto', 'tcp', 'udp'),
  ioTimeout: RULES.positive,
  pixelFormat: RULES.oneOf('bgr', 'rgb', 'gray', 'yuv420p', 'jpeg'),
  jpegQuality: { ...RULES.wholeAbove0, range: 'a whole number from 1 to 100', inRange: (v: number) => Number.isInteger(v) && v >= 1 && v <= 100 },
  size: RULES.size,
  maxFps: RULES.positive,
  delivery: RULES.oneOf('latest', 'queue'),
  log: RULES.function,
} as const satisfies Record<keyof CaptureOptions, Rule>;

/**
 * The `channels` of a frame in this layout: 3 for BGR, RGB and JPEG (decoded), 1 for gray and
 * for I420's stacked planes.
 *
 * @example
 * ```ts
 * pixelChannels('yuv420p'); // 1
 * ```
 */
export function pixelChannels(pixelFormat: PixelFormat): 1 | 3 {
  return pixelFormat === 'bgr' || pixelFormat === 'rgb' || pixelFormat === 'jpeg' ? 3 : 1;
}
