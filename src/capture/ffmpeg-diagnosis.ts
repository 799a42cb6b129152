import type { RtspErrorCode } from '../errors.js';

/**
 * What FFmpeg's log says about why a capture ended. Both capture sources open cameras through
 * FFmpeg (the OpenCV one inside OpenCV), so both read the same messages.
 */
export interface Diagnosis {
  /** The error code the camera's answer means, when a line names one. */
  readonly code: RtspErrorCode | undefined;
  /** The network layer's line that explains the end, its memory address dropped. */
  readonly detail: string | undefined;
}

/**
 * Reads FFmpeg's lines (scrubbed already) for the cause of a failure.
 *
 * @example
 * ```ts
 * diagnose(['[rtsp @ 0x55d0] method DESCRIBE failed: 401 Unauthorized']);
 * // { code: 'UNAUTHORIZED', detail: '[rtsp] method DESCRIBE failed: 401 Unauthorized' }
 * ```
 */
export function diagnose(lines: readonly string[]): Diagnosis {
  return {
    code: DIAGNOSES.find(([pattern]) => lines.some((line) => pattern.test(line)))?.[1],
    detail: lines
      .filter((line) => !NOISE.test(line))
      .findLast((line) => CAUSE.test(line))
      ?.replace(/ @ 0x[0-9a-f]+\]/i, ']')
      .replace(/^(\[[^\]]*\] )?\[(error|warning|info|fatal)\] /, '$1'),
  };
}

const DIAGNOSES: ReadonlyArray<[RegExp, RtspErrorCode]> = [
  [/401 Unauthorized/i, 'UNAUTHORIZED'],
  [/404 Not Found/i, 'NOT_FOUND'],
  [/461 Unsupported transport/i, 'UNSUPPORTED_TRANSPORT'],
  [/Connection refused/i, 'ECONNREFUSED'],
  [/Connection reset/i, 'ECONNRESET'],
];

/**
 * Lines that never explain why a capture ended: the OpenCV addon's start-up logging (which
 * complains of a missing package.json in the working directory), the decoder's complaints
 * about a damaged picture, progress notes, and stack frames.
 */
const NOISE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (Info|Error):|applyEnvsFromPackageJson|^\[(h264|hevc|h265|mjpeg|NULL) @|^no picture yet|^\s+at /;
/** A line from FFmpeg's network layers saying what went wrong. */
const CAUSE = /^\[(rtsp|tcp|udp|tls|http|rtp) @ [^\]]*\] .*(failed|refused|reset|timed out|Unsupported|Invalid data|Not Found|Unauthorized|Forbidden)/i;
