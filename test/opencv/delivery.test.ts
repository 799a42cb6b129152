import { BehaviorSubject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rtspFrames$, type Frame } from '../../src/index.js';
import { loadOpenCv, opencvCaptureSource, toMat, type OpencvCaptureOptions } from '../../src/opencv/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { expectReleased, openFileDescriptors, QUICK, sleep, stopAllWatchers, watch } from './support.js';

// Quietly, as an application would: the addon's own Info lines stay out of the test's output.
const cv = loadOpenCv();

let baseline: number;
let cam: TestCamera;

beforeEach(async () => {
  baseline = openFileDescriptors();
});

afterEach(async () => {
  stopAllWatchers();
  await cam?.close();
  expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const busy = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

/**
 * Collects frames for `ms` milliseconds, holding the event loop for `work` ms on each one.
 * Starts half a second into the stream: opening, OpenCV decodes what it read ahead in a burst.
 */
async function collect(options: OpencvCaptureOptions, ms: number, work = 0) {
  const watched = watch(cam.url, { source: opencvCaptureSource({ ioTimeout: 3000, ...options }), ...QUICK }, 10_000);
  await watched.moreFrames(1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const delivered: Array<{ frame: Frame; age: number }> = [];
  const start = watched.frames.length;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const fresh = watched.frames.slice(start + delivered.length);
    for (const frame of fresh) {
      delivered.push({ frame, age: Date.now() - frame.capturedAt });
      busy(work);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  watched.stop();
  return delivered;
}

describe('what the OpenCV capture source delivers', () => {
  it('a consumer slower than the camera gets the newest frame, never a backlog, and learns what it missed', async () => {
    cam = await startTestCamera({ fps: 25 });
    const delivered: Array<{ frame: Frame; age: number }> = [];
    // The consumer itself is slow: it holds the event loop for 300 ms on every frame.
    const subscription = rtspFrames$(cam.url, { source: opencvCaptureSource(), ...QUICK }).subscribe((frame) => {
      delivered.push({ frame, age: Date.now() - frame.capturedAt });
      busy(300);
    });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    subscription.unsubscribe();
    const ages = delivered.slice(1).map(({ age }) => age);
    console.info(`slow consumer: ${delivered.length} frames, ages (ms) ${ages.join(' ')}`);
    expect(delivered.length).toBeGreaterThanOrEqual(6);
    expect(median(ages), `median age of a frame when a 300 ms consumer reaches it (ms); ages ${ages.join(' ')}`).toBeLessThan(100);
    expect(median(delivered.slice(1).map(({ frame }) => frame.dropped ?? 0))).toBeGreaterThanOrEqual(5);
  });

  it('queue delivery hands a fast consumer every frame, in order', async () => {
    cam = await startTestCamera({ fps: 25 });
    const delivered = await collect({ delivery: 'queue', queueSize: 10 }, 2000);
    const frames = delivered.map(({ frame }) => frame);
    expect(frames.length).toBeGreaterThanOrEqual(40);
    expect(frames.every((frame) => (frame.dropped ?? 0) === 0)).toBe(true);
    const gaps = frames.slice(1).map((frame, index) => frame.capturedAt - frames[index]!.capturedAt);
    expect(Math.max(...gaps), 'largest gap between captured frames (ms)').toBeLessThan(120);
  });

  it('queue delivery bounds its buffer for a slow consumer and counts what it dropped', async () => {
    cam = await startTestCamera({ fps: 25 });
    const delivered = await collect({ delivery: 'queue', queueSize: 5 }, 3000, 100);
    const frames = delivered.map(({ frame }) => frame);
    const dropped = frames.reduce((sum, frame) => sum + (frame.dropped ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    // Delivered plus dropped accounts for every decoded frame: about 25 a second.
    const span = (frames.at(-1)!.capturedAt - frames[0]!.capturedAt) / 1000;
    expect((frames.length + dropped) / span).toBeGreaterThan(18);
    // A bounded queue: no frame is older than the queue can hold, plus the consumer's time.
    expect(Math.max(...delivered.map(({ age }) => age))).toBeLessThan(5 * 40 + 400);
  });

  it('caps the delivered frame rate at the source', async () => {
    cam = await startTestCamera({ fps: 25 });
    const delivered = await collect({ maxFps: 5 }, 3000);
    expect(delivered.length).toBeGreaterThanOrEqual(12);
    expect(delivered.length).toBeLessThanOrEqual(17);
    expect(median(delivered.slice(1).map(({ frame }) => frame.dropped ?? 0))).toBeGreaterThanOrEqual(3);
  });

  it('a cap slower than the stall limit is no stall: the skipped pictures are heard as heartbeats', async () => {
    cam = await startTestCamera({ fps: 25 });
    // One frame every 2.5 s, with stallTimeout at 1 s (QUICK).
    const watched = watch(cam.url, { source: opencvCaptureSource({ maxFps: 0.4 }), ...QUICK });
    await watched.moreFrames(1);
    await sleep(6000);
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
    expect(watched.frames.length).toBeGreaterThanOrEqual(3);
    expect(watched.frames.length).toBeLessThanOrEqual(4);
    watched.stop();
  });

  it('encodes and sends only while demand$ says frames are wanted, and the newest picture at once when they are', async () => {
    cam = await startTestCamera({ fps: 25 });
    const demand = new BehaviorSubject(false);
    const watched = watch(cam.url, { source: opencvCaptureSource({ pixelFormat: 'jpeg' }), demand$: demand, ...QUICK });
    await watched.moreFrames(1);
    const [first] = watched.frames;
    // Nobody wants frames: the first one proved the camera, and nothing follows for 3 s.
    await sleep(3000);
    expect(watched.frames).toEqual([first]);

    const askedAt = Date.now();
    demand.next(true);
    const wantedFor = await watched.moreFrames(1) - (askedAt - watched.started);
    expect(wantedFor).toBeLessThan(200);
    expect(Date.now() - watched.frames[1]!.capturedAt).toBeLessThan(200);
    await sleep(2000);
    const whileWanted = watched.frames.length - 2;
    expect(whileWanted).toBeGreaterThanOrEqual(35);

    demand.next(false);
    await sleep(200);
    const settled = watched.frames.length;
    await sleep(2000);
    expect(watched.frames.length).toBe(settled);
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
    watched.stop();
  });

  it('downscales and converts where the frame is decoded: gray, RGB and BGR', async () => {
    cam = await startTestCamera({ pattern: 'red', width: 320, height: 240 });
    const [gray] = await collect({ size: { width: 160, height: 120 }, pixelFormat: 'gray' }, 200);
    expect(gray!.frame).toMatchObject({ width: 160, height: 120, channels: 1, pixelFormat: 'gray' });
    expect(gray!.frame.data).toHaveLength(160 * 120);

    const [rgb] = await collect({ pixelFormat: 'rgb' }, 200);
    const [bgr] = await collect({}, 200);
    const centre = (frame: Frame) => [...frame.data.subarray((120 * 320 + 160) * 3, (120 * 320 + 160) * 3 + 3)];
    const [r, g, b] = centre(rgb!.frame);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    expect(centre(bgr!.frame)).toEqual(centre(rgb!.frame).reverse());
  });

  it('encodes JPEG in the capture process, after the downscale, and toMat decodes it', async () => {
    cam = await startTestCamera({ pattern: 'red', width: 320, height: 240 });
    const [best] = await collect({ size: { width: 160, height: 120 }, pixelFormat: 'jpeg', jpegQuality: 95 }, 200);
    const [small] = await collect({ size: { width: 160, height: 120 }, pixelFormat: 'jpeg', jpegQuality: 10 }, 200);
    const frame = best!.frame;
    expect(frame).toMatchObject({ width: 160, height: 120, channels: 3, pixelFormat: 'jpeg' });
    expect([...frame.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...frame.data.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(small!.frame.data.length).toBeLessThan(frame.data.length);
    const mat = toMat(frame, cv);
    expect([mat.rows, mat.cols, mat.channels]).toEqual([120, 160, 3]);
    const [b, g, r] = mat.atRaw(60, 80) as unknown as number[];
    mat.release();
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
  });

  it('toMat gives an OpenCV Mat of the frame', async () => {
    cam = await startTestCamera({ width: 320, height: 240 });
    const [first] = await collect({}, 200);
    const frame = first!.frame;
    const mat = toMat(frame, cv);
    expect([mat.rows, mat.cols, mat.channels]).toEqual([240, 320, 3]);
    expect(mat.getData().equals(frame.data)).toBe(true);
    mat.release();
  });
});
