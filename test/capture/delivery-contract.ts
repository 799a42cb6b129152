import { BehaviorSubject, exhaustMap, timer } from 'rxjs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rtspFrames$, type CaptureSource, type Frame } from '../../src/index.js';
import type { CaptureOptions } from '../../src/capture/capture-options.js';
import { loadOpenCv, toMat } from '../../src/opencv/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { expectReleased, openFileDescriptors, QUICK, sleep, stopAllWatchers, watch } from '../opencv/support.js';

/** The options both capture sources take, and mean the same by. */
type CommonCaptureOptions = Omit<CaptureOptions, 'log'>;

/** A capture source under test. */
export interface DeliverySubject {
  /** `the OpenCV capture source` */
  readonly name: string;
  make(options?: CommonCaptureOptions): CaptureSource;
}

// Quietly, as an application would: the addon's own Info lines stay out of the test's output.
const cv = loadOpenCv();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
export const busy = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

/**
 * What every capture source delivers, and how: rate cap, demand, queue, formats, sizes, the
 * frames' ownership, and toMat. `more` adds a source's own cases.
 */
export function deliveryContract(subject: DeliverySubject, more: (context: { camera: (options?: Parameters<typeof startTestCamera>[0]) => Promise<TestCamera>; collect: typeof collect }) => void = () => undefined): void {
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

const camera = async (options?: Parameters<typeof startTestCamera>[0]) => (cam = await startTestCamera(options));

/**
 * Collects frames for `ms` milliseconds (and at least one), holding the event loop for `work` ms on each one.
 * Starts half a second into the stream: opening, the decoder works through what it read ahead.
 * `options` are the subject's, or a source of the test's own making.
 */
async function collect(options: CommonCaptureOptions | CaptureSource, ms: number, work = 0) {
  const source = 'open' in options ? options : subject.make({ ioTimeout: 3000, ...options });
  const watched = watch(cam.url, { source, ...QUICK }, 10_000);
  await watched.moreFrames(1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const delivered: Array<{ frame: Frame; age: number }> = [];
  const start = watched.frames.length;
  const deadline = Date.now() + ms;
  // At least one frame, for a machine too busy to deliver one within a short window.
  while (Date.now() < deadline || (delivered.length === 0 && Date.now() < deadline + 5000)) {
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

describe(`what ${subject.name} delivers`, () => {
  more({ camera, collect });

  it('queue delivery hands a fast consumer every frame, in order', async () => {
    await camera({ fps: 25 });
    const delivered = await collect({ delivery: 'queue' }, 2000);
    const frames = delivered.map(({ frame }) => frame);
    expect(frames.length).toBeGreaterThanOrEqual(40);
    expect(frames.every((frame) => (frame.dropped ?? 0) === 0)).toBe(true);
    const gaps = frames.slice(1).map((frame, index) => frame.capturedAt - frames[index]!.capturedAt);
    expect(Math.max(...gaps), 'largest gap between captured frames (ms)').toBeLessThan(120);
  });

  it('caps the delivered frame rate at the source', async () => {
    await camera({ fps: 25 });
    const delivered = await collect({ maxFps: 5 }, 3000);
    expect(delivered.length).toBeGreaterThanOrEqual(12);
    expect(delivered.length).toBeLessThanOrEqual(17);
    expect(median(delivered.slice(1).map(({ frame }) => frame.dropped ?? 0))).toBeGreaterThanOrEqual(3);
  });

  it('a cap slower than the stall limit is no stall: the skipped pictures are heard as heartbeats', async () => {
    await camera({ fps: 25 });
    // One frame every 2.5 s, with stallTimeout at 1 s (QUICK).
    const watched = watch(cam.url, { source: subject.make({ maxFps: 0.4 }), ...QUICK });
    await watched.moreFrames(1);
    await sleep(6000);
    expect(watched.statuses()).toEqual(['connecting', 'connected']);
    expect(watched.frames.length).toBeGreaterThanOrEqual(3);
    expect(watched.frames.length).toBeLessThanOrEqual(4);
    watched.stop();
  });

  it('encodes and sends only while demand$ says frames are wanted, and the newest picture at once when they are', async () => {
    await camera({ fps: 25 });
    const demand = new BehaviorSubject(false);
    const watched = watch(cam.url, { source: subject.make({ pixelFormat: 'jpeg' }), demand$: demand, ...QUICK });
    await watched.moreFrames(1);
    const [first] = watched.frames;
    // Nobody wants frames: the first one proved the camera, and nothing follows for 3 s.
    await sleep(3000);
    expect(watched.frames).toEqual([first]);

    const askedAt = Date.now();
    demand.next(true);
    const wantedFor = await watched.moreFrames(1) - (askedAt - watched.started);
    // ffmpeg takes a command at most every 100 ms, and writes a picture once the next follows.
    expect(wantedFor).toBeLessThan(300);
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

  it('downscales and converts where the frame is decoded: gray, RGB, BGR and I420', async () => {
    await camera({ pattern: 'red', width: 320, height: 240 });
    // Four connections at once, each with its own capture.
    const [[gray], [rgb], [bgr], [i420]] = await Promise.all([
      collect({ size: { width: 160, height: 120 }, pixelFormat: 'gray' }, 200),
      collect({ pixelFormat: 'rgb' }, 200),
      collect({}, 200),
      collect({ pixelFormat: 'yuv420p' }, 200),
    ]);
    expect(gray!.frame).toMatchObject({ width: 160, height: 120, channels: 1, pixelFormat: 'gray' });
    expect(gray!.frame.data).toHaveLength(160 * 120);

    const centre = (frame: Frame) => [...frame.data.subarray((120 * 320 + 160) * 3, (120 * 320 + 160) * 3 + 3)];
    const [r, g, b] = centre(rgb!.frame);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    expect(centre(bgr!.frame)).toEqual(centre(rgb!.frame).reverse());

    expect(i420!.frame).toMatchObject({ width: 320, height: 240, channels: 1, pixelFormat: 'yuv420p' });
    expect(i420!.frame.data).toHaveLength(320 * 240 * 3 / 2);
    const converted = toMat(i420!.frame, cv).cvtColor(cv.COLOR_YUV2BGR_I420);
    const [cb, cg, cr] = converted.atRaw(120, 160) as unknown as number[];
    converted.release();
    expect(cr).toBeGreaterThan(200);
    expect(cg).toBeLessThan(60);
    expect(cb).toBeLessThan(60);
  });

  it('encodes JPEG where the picture is decoded, after the downscale, and toMat decodes it', async () => {
    await camera({ pattern: 'red', width: 320, height: 240 });
    const [best] = await collect({ size: { width: 160, height: 120 }, pixelFormat: 'jpeg', jpegQuality: 95 }, 200);
    const frame = best!.frame;
    expect(frame).toMatchObject({ width: 160, height: 120, channels: 3, pixelFormat: 'jpeg' });
    expect([...frame.data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...frame.data.subarray(-2)]).toEqual([0xff, 0xd9]);
    const mat = toMat(frame, cv);
    expect([mat.rows, mat.cols, mat.channels]).toEqual([120, 160, 3]);
    const [b, g, r] = mat.atRaw(60, 80) as unknown as number[];
    mat.release();
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);

    // A plain red picture is as small at any quality: the quality shows on a detailed one.
    await cam.close();
    await camera({ width: 320, height: 240 });
    // One client after the other: two setting up at once can abort the simulator (gst_rtsp_media_get_rates).
    const [fine] = await collect({ pixelFormat: 'jpeg', jpegQuality: 95 }, 200);
    const [coarse] = await collect({ pixelFormat: 'jpeg', jpegQuality: 10 }, 200);
    expect(coarse!.frame.data.length).toBeLessThan(fine!.frame.data.length * 0.8);
  });

  it('toMat gives an OpenCV Mat of the frame', async () => {
    await camera({ width: 320, height: 240 });
    const [first] = await collect({}, 200);
    const frame = first!.frame;
    const mat = toMat(frame, cv);
    expect([mat.rows, mat.cols, mat.channels]).toEqual([240, 320, 3]);
    expect(mat.getData().equals(frame.data)).toBe(true);
    mat.release();
  });
  it('a frame handed out is never written again: each has memory of its own, unchanged while the same stream goes on', async () => {
    await camera({ fps: 25 });
    const watched = watch(cam.url, { source: subject.make({ ioTimeout: 3000 }), ...QUICK }, 100);
    await watched.moreFrames(25);
    const held = [...watched.frames];
    const digest = (frame: Frame) => createHash('sha1').update(frame.data).digest('hex');
    const digests = held.map(digest);
    // The same capture goes on, its pictures read, dropped or delivered, while these are held.
    await watched.moreFrames(40);
    const later = watched.frames.filter((frame) => !held.includes(frame));
    expect(later.length).toBeGreaterThanOrEqual(40);
    expect(held.map(digest)).toEqual(digests);
    expect(new Set([...held, ...later].map((frame) => frame.data.buffer)).size, 'distinct memory per frame').toBe(held.length + later.length);
    // Different pictures, not one buffer written over and over.
    expect(new Set(digests).size).toBeGreaterThan(held.length / 2);
  });

  it('a consumer that works asynchronously for 300 ms per frame gets a fresh frame each time (exhaustMap)', async () => {
    await camera({ fps: 25 });
    const ages: number[] = [];
    const subscription = rtspFrames$(cam.url, { source: subject.make(), ...QUICK })
      .pipe(exhaustMap((frame) => (ages.push(Date.now() - frame.capturedAt), timer(300))))
      .subscribe();
    while (ages.length === 0) await sleep(20);
    // 300 ms of work and at most one camera interval of wait: about 12 frames in 4 s.
    await sleep(4000);
    subscription.unsubscribe();
    const steady = ages.slice(2);
    console.info(`asynchronous slow consumer: ${ages.length} frames, ages (ms) ${steady.join(' ')}`);
    expect(ages.length).toBeGreaterThanOrEqual(10);
    expect(median(steady), `median age (ms); ages ${steady.join(' ')}`).toBeLessThan(60);
  });
});
}
