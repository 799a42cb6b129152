import { expect, it } from 'vitest';
import { rtspFrames$, type Frame } from '../../src/index.js';
import { opencvCaptureSource } from '../../src/opencv/index.js';
import { busy, deliveryContract } from '../capture/delivery-contract.js';
import { QUICK } from './support.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

deliveryContract({ name: 'the OpenCV capture source', make: (options) => opencvCaptureSource(options) }, ({ camera, collect }) => {
  it('a consumer slower than the camera gets the newest frame, never a backlog, and learns what it missed', async () => {
    const cam = await camera({ fps: 25 });
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

  it('queue delivery bounds its buffer for a slow consumer and counts what it dropped', async () => {
    await camera({ fps: 25 });
    const delivered = await collect(opencvCaptureSource({ ioTimeout: 3000, delivery: 'queue', queueSize: 5 }), 3000, 100);
    const frames = delivered.map(({ frame }) => frame);
    const dropped = frames.reduce((sum, frame) => sum + (frame.dropped ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    // Delivered plus dropped accounts for every decoded frame: about 25 a second.
    const span = (frames.at(-1)!.capturedAt - frames[0]!.capturedAt) / 1000;
    expect((frames.length + dropped) / span).toBeGreaterThan(18);
    // A bounded queue: no frame is older than the queue can hold, plus the consumer's time.
    expect(Math.max(...delivered.map(({ age }) => age))).toBeLessThan(5 * 40 + 400);
  });

});
