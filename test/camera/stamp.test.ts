import { firstValueFrom, take, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { rtspFrames$, type Frame } from '../../src/index.js';
import { opencvCaptureSource, type OpencvCaptureOptions } from '../../src/opencv/index.js';
import { QUICK } from '../opencv/support.js';
import { readStamp, startTestCamera, type TestCamera, type TestCameraOptions } from '../../src/testing/index.js';

let camera: TestCamera | undefined;
afterEach(async () => camera?.close());

async function framesOf(options: TestCameraOptions, capture: OpencvCaptureOptions = {}, count = 25): Promise<Frame[]> {
  camera = await startTestCamera(options);
  return firstValueFrom(rtspFrames$(camera.url, { source: opencvCaptureSource({ delivery: 'queue', ...capture }), ...QUICK }).pipe(take(count), toArray()));
}

describe('the camera simulator stamps every frame, and readStamp reads it back', () => {
  it('frame indices in order and send times just past, at 320x240 H.264', async () => {
    const before = Date.now();
    const frames = await framesOf({ width: 320, height: 240, fps: 25 });
    const stamps = frames.map(readStamp);
    expect(stamps.every((stamp) => stamp !== undefined)).toBe(true);
    const indices = stamps.map((stamp) => stamp!.index);
    expect(indices.slice(1).map((index, i) => index - indices[i]!)).toEqual(Array(indices.length - 1).fill(1));
    for (const [i, stamp] of stamps.entries()) {
      expect(stamp!.sentAt).toBeGreaterThan(before);
      expect(stamp!.sentAt).toBeLessThanOrEqual(frames[i]!.capturedAt);
    }
    // The queue hands out the frames decoded while opening too; the last one is live.
    expect(frames.at(-1)!.capturedAt - stamps.at(-1)!.sentAt, 'latency of a live frame (ms)').toBeLessThan(500);
  });

  it('survives 1920x1080, gray, RGB and a downscale to 160x120', async () => {
    for (const [simulator, capture] of [
      [{ width: 1920, height: 1080 }, {}],
      [{ width: 640, height: 480 }, { pixelFormat: 'gray' }],
      [{ width: 640, height: 480 }, { pixelFormat: 'rgb', size: { width: 160, height: 120 } }],
    ] as const) {
      const frames = await framesOf(simulator, capture, 5);
      expect(frames.every((frame) => readStamp(frame) !== undefined), JSON.stringify({ simulator, capture })).toBe(true);
      await camera?.close();
    }
  }, 60_000);

  it.each(['h265', 'mjpeg'] as const)('survives %s', async (codec) => {
    const frames = await framesOf({ width: 640, height: 480, codec }, {}, 5);
    expect(frames.every((frame) => readStamp(frame) !== undefined)).toBe(true);
  });

  it('counts per client with one encoder each, and shares the count with one encoder for all', async () => {
    camera = await startTestCamera({ shared: false });
    // A queue hands out the frames FFmpeg read while opening too, so the first is the first sent.
    const first = (await firstValueFrom(rtspFrames$(camera.url, { source: opencvCaptureSource({ delivery: 'queue' }), ...QUICK }).pipe(take(1))))!;
    expect(readStamp(first)!.index).toBeLessThan(10);
  });

  it('rejects a picture without a stamp', () => {
    const blank = { data: Buffer.alloc(320 * 240 * 3, 100), width: 320, height: 240, channels: 3 };
    expect(readStamp(blank)).toBeUndefined();
  });
});
