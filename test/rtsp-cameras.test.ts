import { describe, expect, it } from 'vitest';
import type { Frame } from '../src/index.js';
import { rtspCameras } from '../src/index.js';
import { fakeCaptureSource } from '../src/testing/index.js';
import { virtualTime } from './virtual-time.js';

describe('rtspCameras: the camera registry', () => {
  it('opens the configured cameras at once, one connection each, and follows a camera through update() and remove()', () => {
    const { scheduler, advanceTo } = virtualTime();
    const door = fakeCaptureSource({ width: 64, height: 48 }, scheduler);
    const wider = fakeCaptureSource({ width: 128, height: 48 }, scheduler);
    const cameras = rtspCameras({ source: door, cameras: { door: { url: 'rtsp://127.0.0.1/door' } } }, scheduler);
    const names: Array<readonly string[]> = [];
    cameras.names$.subscribe((now) => names.push(now));
    advanceTo(100);
    expect(door.active, 'kept open with nobody subscribed').toBe(1);

    const widths: number[] = [];
    let completed = false;
    cameras.get('door').frames$.subscribe({ next: (frame) => widths.push(frame.width), complete: () => (completed = true) });
    const also = cameras.get('door').connection$.subscribe();
    advanceTo(200);
    expect(door.active, 'one connection however many subscribers').toBe(1);
    cameras.update('door', { url: 'rtsp://127.0.0.1/door', source: wider });
    advanceTo(400);
    expect([door.active, wider.active]).toEqual([0, 1]);
    expect(widths).toContain(64);
    expect(widths.at(-1), 'the same subscriber, over the new connection').toBe(128);

    cameras.add('yard', { url: 'rtsp://127.0.0.1/yard' });
    cameras.remove('door');
    advanceTo(500);
    expect(completed).toBe(true);
    expect(also.closed).toBe(true);
    expect(wider.active).toBe(0);
    expect(names).toEqual([['door'], ['door', 'yard'], ['yard']]);
    cameras.close();
    expect(door.active).toBe(0);
    expect(cameras.names).toEqual([]);
  });

  it('snapshot(): a frame that came after the call, never the one held from before; undefined while not connected', async () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'stream', frames: 10, then: 'stall' }] }, scheduler);
    const cameras = rtspCameras({ source, cameras: { door: { url: 'rtsp://127.0.0.1/door', stallTimeout: 1000, reconnectDelay: 10_000 } } }, scheduler);
    const watching = cameras.get('door').latest$.subscribe();
    advanceTo(100);
    const held = await firstFrame(cameras.get('door').latest$);
    const pending = cameras.get('door').snapshot();
    advanceTo(200);
    expect((await pending)!.sequence).toBeGreaterThan(held.sequence);
    // Ten frames, then silence: STALLED, and no frame to give.
    advanceTo(2000);
    expect(await cameras.get('door').snapshot()).toBeUndefined();
    watching.unsubscribe();
    cameras.close();
  });

  it('says what is wrong, naming the camera: a taken name, a bad name, an unknown camera, a bad option', () => {
    const source = fakeCaptureSource();
    const cameras = rtspCameras({ source, cameras: { door: { url: 'rtsp://127.0.0.1/door' } } });
    expect(() => cameras.add('door', { url: 'rtsp://127.0.0.1/other' })).toThrow(/there is a camera named door already; update\(\) changes it/);
    expect(() => cameras.add('front door', { url: 'rtsp://127.0.0.1/door' })).toThrow(RangeError);
    expect(() => cameras.get('yard')).toThrow('rtsp-rx: rtspCameras: no camera named "yard"; the cameras are door');
    expect(() => cameras.add('yard', { url: 'rtsp://127.0.0.1/yard', stallTimeout: -1 })).toThrow(/^rtsp-rx: rtspCameras camera yard: option stallTimeout must be/);
    expect(() => rtspCameras({ source, camera: {} } as never)).toThrow(/unknown option camera; did you mean cameras\?/);
    expect(cameras.names).toEqual(['door']);
    cameras.close();
  });
});

function firstFrame(latest$: import('rxjs').Observable<Frame>): Promise<Frame> {
  return new Promise((resolve) => latest$.subscribe((frame) => resolve(frame)).unsubscribe());
}
