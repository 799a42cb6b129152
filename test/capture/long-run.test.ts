import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rtspEvents$, type CaptureSource } from '../../src/index.js';
import { ffmpegCaptureSource } from '../../src/ffmpeg/index.js';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { expectReleased, openFileDescriptors, QUICK, sleep } from '../opencv/support.js';

/**
 * Minutes of streaming, counted second by second: a capture that freezes after some number of
 * frames (once its control channel stops, for example) shows here as an empty second, however
 * healthy its connection looks. Both sources run at once, each from a camera of its own.
 */
const SECONDS = 122;
const FPS = 50;

const SOURCES: ReadonlyArray<readonly [string, () => CaptureSource]> = [
  ['OpenCV', () => opencvCaptureSource()],
  ['ffmpeg', () => ffmpegCaptureSource()],
];

let baseline: number;
const cameras: TestCamera[] = [];

beforeEach(() => {
  baseline = openFileDescriptors();
});

afterEach(async () => {
  await Promise.all(cameras.splice(0).map((camera) => camera.close()));
  expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
});

interface Run {
  readonly perSecond: readonly number[];
  readonly dropped: number;
  readonly statuses: readonly string[];
}

/** Streams from a camera of its own for SECONDS once the first frame is in, counting each second's frames. */
async function run(source: CaptureSource): Promise<Run> {
  const camera = await startTestCamera({ width: 160, height: 120, fps: FPS });
  cameras.push(camera);
  let delivered = 0;
  let dropped = 0;
  const statuses: string[] = [];
  const subscription = rtspEvents$(camera.url, { source, ...QUICK }).subscribe((event) => {
    if (event.type === 'state') statuses.push(event.state.status);
    else {
      delivered++;
      dropped += event.frame.dropped ?? 0;
    }
  });
  while (delivered === 0) await sleep(20);

  const perSecond: number[] = [];
  let counted = delivered;
  for (let second = 0; second < SECONDS; second++) {
    await sleep(1000);
    perSecond.push(delivered - counted);
    counted = delivered;
  }
  subscription.unsubscribe();
  return { perSecond, dropped, statuses };
}

describe('a long run', () => {
  it(`delivers frames in every second of ${SECONDS} s at ${FPS} fps, thousands of them, over one connection, from each source`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    const runs = await Promise.all(SOURCES.map(([, make]) => run(make())));
    SOURCES.forEach(([name], index) => {
      const { perSecond, dropped, statuses } = runs[index]!;
      const total = perSecond.reduce((sum, count) => sum + count, 0);
      const emptiest = Math.min(...perSecond);
      console.log(`long run, ${name}: ${total} frames in ${SECONDS} s (${dropped} skipped to stay fresh); per second min ${emptiest}, max ${Math.max(...perSecond)}; first 10 s: ${perSecond.slice(0, 10).join(' ')}; last 10 s: ${perSecond.slice(-10).join(' ')}`);
      expect(statuses, name).toEqual(['connecting', 'connected']);
      // Every second, at least half of what the camera sent arrived.
      expect(emptiest, name).toBeGreaterThanOrEqual(FPS / 2);
      // The camera sent about SECONDS * FPS frames: each was delivered or counted as skipped.
      expect(total + dropped, name).toBeGreaterThanOrEqual(SECONDS * FPS * 0.95);
      expect(total, name).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
    });
  });
});
