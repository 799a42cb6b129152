import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rtspEvents$ } from '../../src/index.js';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { expectReleased, openFileDescriptors, QUICK, sleep } from './support.js';

/**
 * Minutes of streaming, counted second by second: a capture that freezes after some number of
 * frames (once its control channel stops, for example) shows here as an empty second, however
 * healthy its connection looks.
 */
const SECONDS = 122;
const FPS = 50;

let baseline: number;
let cam: TestCamera;

beforeEach(() => {
  baseline = openFileDescriptors();
});

afterEach(async () => {
  await cam?.close();
  expect(await expectReleased(baseline)).toMatchObject({ processes: 0 });
});

describe('a long run', () => {
  it(`delivers frames in every second of ${SECONDS} s at ${FPS} fps, thousands of them, over one connection`, { timeout: (SECONDS + 60) * 1000 }, async () => {
    cam = await startTestCamera({ width: 160, height: 120, fps: FPS });
    let delivered = 0;
    let dropped = 0;
    const statuses: string[] = [];
    const subscription = rtspEvents$(cam.url, { source: opencvCaptureSource(), ...QUICK }).subscribe((event) => {
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

    const total = perSecond.reduce((sum, count) => sum + count, 0);
    const emptiest = Math.min(...perSecond);
    console.log(`long run: ${total} frames in ${SECONDS} s (${dropped} skipped to stay fresh); per second min ${emptiest}, max ${Math.max(...perSecond)}; first 10 s: ${perSecond.slice(0, 10).join(' ')}; last 10 s: ${perSecond.slice(-10).join(' ')}`);
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(total).toBeGreaterThanOrEqual(3000);
    // Every second, at least half of what the camera sent arrived.
    expect(emptiest).toBeGreaterThanOrEqual(FPS / 2);
    // The camera sent about SECONDS * FPS frames: each was delivered or counted as skipped.
    expect(total + dropped).toBeGreaterThanOrEqual(SECONDS * FPS * 0.95);
    expect(total).toBeGreaterThanOrEqual(SECONDS * FPS * 0.9);
  });
});
