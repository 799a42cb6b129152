import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { firstValueFrom, take } from 'rxjs';
import { PNG } from 'pngjs';
import type { CaptureSource, Frame, PixelFormat } from '../capture-source.js';
import { ReconnectExhaustedError, RtspError } from '../errors.js';
import { rtspFrames$ } from '../rtsp-frames.js';
import { HINTS } from './probe.js';
import { UsageError } from './camera-target.js';

/** The pixel format a snapshot's file asks the capture for: JPEG is encoded where the frame is decoded. */
export function snapshotFormat(file: string): Extract<PixelFormat, 'jpeg' | 'rgb'> {
  const extension = extname(file).toLowerCase();
  if (extension === '.jpg' || extension === '.jpeg') return 'jpeg';
  if (extension === '.png') return 'rgb';
  throw new UsageError(`--output ${file}: a snapshot is a JPEG (.jpg, .jpeg) or a PNG (.png)`);
}

/**
 * Takes one fresh frame (the first at the live edge, never one FFmpeg buffered while opening)
 * and writes it to `file`, as JPEG or PNG by its extension. Connects once, without retrying.
 *
 * @throws RtspError with a hint in its message when the camera gives no frame.
 *
 * @example
 * ```ts
 * await snapshot('rtsp://127.0.0.1:8554/cam', await captureSource({ source: 'ffmpeg', transport: 'auto' }, { pixelFormat: snapshotFormat('door.png') }), 'door.png', 10_000);
 * // { width: 1920, height: 1080, bytes: 2309771 }
 * ```
 */
export async function snapshot(url: string, source: CaptureSource, file: string, timeoutMs: number): Promise<{ width: number; height: number; bytes: number }> {
  let frame: Frame;
  try {
    frame = await firstValueFrom(rtspFrames$(url, { source, maxReconnectAttempts: 0, openTimeout: timeoutMs, firstFrameTimeout: timeoutMs }).pipe(take(1)));
  } catch (error) {
    const cause = error instanceof ReconnectExhaustedError ? error.cause : error;
    if (!(cause instanceof RtspError)) throw cause;
    const hint = HINTS[cause.code];
    throw new RtspError(cause.code, `${cause.message}${hint === undefined ? '' : `\n  hint: ${hint}`}`);
  }
  const bytes = frame.pixelFormat === 'jpeg' ? frame.data : PNG.sync.write(Object.assign(new PNG({ width: frame.width, height: frame.height }), { data: frame.data }), { colorType: 2, inputColorType: 2 });
  writeFileSync(file, bytes);
  return { width: frame.width, height: frame.height, bytes: bytes.length };
}
