import { describe, expect, it } from 'vitest';
import { rtspEvents$, type ConnectionState, type Frame } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';
import { virtualTime } from './virtual-time.js';

describe('clocks', () => {
  it("stamps connected's since with the scheduler's now(), and the fake source's frames with its own scheduler", () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ fps: 25 }, scheduler);
    const states: ConnectionState[] = [];
    const frames: Frame[] = [];
    const subscription = rtspEvents$('rtsp://127.0.0.1/cam', { source }, scheduler).subscribe((event) => (event.type === 'state' ? states.push(event.state) : frames.push(event.frame)));
    advanceTo(200);
    subscription.unsubscribe();
    const connected = states.find((state) => state.status === 'connected');
    // Virtual time starts at 0: a wall-clock stamp would be decades later.
    expect(connected).toMatchObject({ since: expect.any(Number) });
    expect((connected as { since: number }).since).toBeLessThan(200);
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame.capturedAt).toBeLessThanOrEqual(200);
  });
});
