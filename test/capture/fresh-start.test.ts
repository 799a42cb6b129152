import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { rtspFrames$ } from '../../src/index.js';
import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { readStamp, startTestCamera, type TestCamera, type TestCameraOptions } from '../../src/testing/index.js';
import { QUICK } from '../opencv/support.js';

let camera: TestCamera | undefined;
afterEach(async () => camera?.close());

/**
 * FFmpeg hands out first the packets it read while probing the stream: at 1920x1080 the first
 * frames used to be 1.1 to 1.4 s old. The simulator itself adds about 200 ms to every frame.
 */
const FIRST_FRAMES = 10;
const FRESH_MS = 700;

const SOURCES = [
  ['the OpenCV source', () => opencvCaptureSource()],
  ['the ffmpeg source', () => ffmpegCaptureSource()],
] as const;

describe.each(SOURCES)('the first frames of a connection are live, not the ones FFmpeg buffered while opening: %s', (_, source) => {
  it.each<[string, TestCameraOptions]>([
    ['H.264 at 1920x1080', { codec: 'h264' }],
    ['H.264 with a sound track and parameter sets only in-band at 1920x1080', { codec: 'h264', audio: true, parameterSets: 'in-band' }],
    // The simulator's H.265 encoder cannot keep 25 fps at 1920x1080 on two cores.
    ['H.265 with parameter sets only in-band at 1280x720', { codec: 'h265', width: 1280, height: 720, parameterSets: 'in-band' }],
  ])('%s', async (_, options) => {
    camera = await startTestCamera({ width: 1920, height: 1080, fps: 25, ...options });
    const frames = await firstValueFrom(rtspFrames$(camera.url, { source: source(), ...QUICK }).pipe(take(FIRST_FRAMES), toArray()));
    const ages = frames.map((frame) => {
      const stamp = readStamp(frame);
      // An unreadable stamp is a smeared picture: decoding began between keyframes.
      expect(stamp, 'every picture whole').toBeDefined();
      return frame.capturedAt - stamp!.sentAt;
    });
    console.log(`first ${FIRST_FRAMES} frames: ages ${ages.join(', ')} ms`);
    expect(Math.max(...ages), `ages ${ages.join(', ')} ms`).toBeLessThan(FRESH_MS);
  });
});
