import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const directory = join(tmpdir(), 'rtsp-rx-recordings');

function ffmpeg(...args: string[]): void {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

function encode(file: string, size: string, seconds: number, keyframeEvery: number): void {
  ffmpeg('-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0',
    '-x264-params', `keyint=${keyframeEvery}:min-keyint=${keyframeEvery}:scenecut=0`, file);
}

function once(name: string, make: (file: string) => void): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, name);
  if (!existsSync(file)) make(file);
  return file;
}

/**
 * A recording for `startTestCamera({ recording })`, of a camera whose first keyframe comes
 * late: 20 s of H.264 that starts 0.4 s into a 5 s group of pictures, so a client gets
 * P-frames it cannot decode, and its first keyframe 4.6 s after the stream starts. Made with
 * `ffmpeg` (Debian's package of that name) on first use, and kept in the system's temporary
 * directory; returns its path.
 *
 * @example
 * ```ts
 * const camera = await startTestCamera({ recording: lateKeyframeRecording() });
 * // the first frame arrives about 4.6 s after opening: firstFrameTimeout must allow for it
 * ```
 */
export const lateKeyframeRecording = (): string =>
  once('late-keyframe-5s.mkv', (file) => {
    const full = `${file}.full.mkv`;
    encode(full, '320x240', 20, 125);
    ffmpeg('-i', full, '-ss', '0.4', '-c', 'copy', '-copyinkf', file);
  });

/**
 * A recording for `startTestCamera({ recording })`, of a camera whose picture changes size:
 * 20 s of H.264 that grows from 320x240 to 640x480 after 3 s. Made with `ffmpeg` on first
 * use, and kept in the system's temporary directory; returns its path.
 *
 * @example
 * ```ts
 * const camera = await startTestCamera({ recording: resolutionChangeRecording() });
 * // with the OpenCV source: connected at 320x240, then after 3 s reconnecting with STREAM_CHANGED
 * ```
 */
export const resolutionChangeRecording = (): string =>
  once('resolution-change.mkv', (file) => {
    const small = `${file}.small.h264`;
    const large = `${file}.large.h264`;
    encode(small, '320x240', 3, 25);
    encode(large, '640x480', 17, 25);
    ffmpeg('-framerate', '25', '-i', `concat:${small}|${large}`, '-c', 'copy', file);
  });
