import type { PixelFormat } from '../capture-source.js';

/** What the application tells a capture process, as the first line on its stdin. */
export interface CaptureSettings {
  readonly url: string;
  readonly backend: 'ffmpeg' | 'any';
  /** The value of OPENCV_FFMPEG_CAPTURE_OPTIONS for this capture. */
  readonly ffmpegOptions: string;
  readonly pixelFormat: PixelFormat;
  /** JPEG quality, 1 to 100, when `pixelFormat` is `jpeg`. */
  readonly jpegQuality: number;
  readonly size: { readonly width: number; readonly height: number } | undefined;
  readonly maxFps: number | undefined;
  readonly delivery: 'latest' | 'queue';
  readonly queueSize: number;
  /** Frames it may send before the application grants more. */
  readonly initialCredit: number;
  /** Empty reads in a row, before any frame, that mean the stream is gone. */
  readonly emptyReadsBeforeEnd: number;
}
