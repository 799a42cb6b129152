import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { captureProcesses, startTestCamera, type TestCamera } from '../../src/testing/index.js';
import { eventLoopDelay, expectReleased, QUICK, stopAllWatchers, watch } from './support.js';

let cam: TestCamera | undefined;

afterEach(async () => {
  stopAllWatchers();
  await cam?.close();
  expect(await expectReleased(Infinity, 2000)).toMatchObject({ processes: 0 });
});

/** Median time of a tiny file read, which needs one of libuv's four pool threads. */
async function fileReadMedian(file: string, reads = 100): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < reads; index++) {
    const start = performance.now();
    await readFile(file);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(reads / 2)]!;
}

describe('a camera never holds the application', () => {
  it('no libuv pool thread: a file read is as fast with 8 cameras streaming as with none', async () => {
    const file = join(tmpdir(), `rtsp-rx-probe-${process.pid}.txt`);
    await writeFile(file, 'x');
    const idle = await fileReadMedian(file);
    cam = await startTestCamera({ width: 320, height: 240, fps: 25 });
    const cameras = Array.from({ length: 8 }, () => watch(cam!.url, { source: opencvCaptureSource(), ...QUICK, openTimeout: 20_000 }));
    await Promise.all(cameras.map((watched) => watched.moreFrames(10, 40_000)));
    expect(captureProcesses()).toHaveLength(8);
    const delay = eventLoopDelay();
    const busy = await fileReadMedian(file);
    const { p99 } = delay.stop();
    console.info(`file read median: ${idle.toFixed(3)} ms idle, ${busy.toFixed(3)} ms with 8 cameras; event-loop p99 ${p99.toFixed(1)} ms`);
    expect(busy, 'median file read with 8 cameras (ms)').toBeLessThan(Math.max(2, idle * 10));
    expect(p99, 'event-loop delay p99 with 8 cameras (ms)').toBeLessThan(20);
  }, 90_000);
});
