import { describe, expect, it } from 'vitest';
import type { CameraMetrics, Frame } from '../src/index.js';
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

  it('metrics: frames, reconnects, the state and the last error, counted across update() without taking a frame; metrics$ completes on remove()', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ fps: 10, attempts: [{ outcome: 'stream', frames: 20, then: 'drop' }, { outcome: 'stream' }] }, scheduler);
    const cameras = rtspCameras({ source, cameras: { door: { url: 'rtsp://127.0.0.1/door', reconnectDelay: 500 } } }, scheduler);
    const door = cameras.get('door');
    const seen: CameraMetrics[] = [];
    let ended = false;
    door.metrics$.subscribe({ next: (metrics) => seen.push(metrics), complete: () => (ended = true) });
    const wanted: boolean[] = [];
    source.requests[0]!.demand$.subscribe((now) => wanted.push(now));
    advanceTo(4000);
    expect(wanted, 'counted, not taken: the capture is never asked for frames').toEqual([false]);
    // The fake sends frames whether asked or not: 20, the drop, 500 ms, then 10 a second.
    expect(door.metrics).toMatchObject({ state: { status: 'connected' }, reconnects: 1, lastError: expect.stringMatching(/^ECONNRESET: /), fps: 10 });
    expect(door.metrics.frames).toBeGreaterThanOrEqual(30);
    expect(seen.at(-1)).toBe(door.metrics);
    expect(seen.filter((metrics) => metrics.state.status === 'reconnecting')).not.toHaveLength(0);

    const before = door.metrics.frames;
    cameras.update('door', { url: 'rtsp://127.0.0.1/door', stallTimeout: 3000 });
    const taking = door.frames$.subscribe();
    advanceTo(5000);
    expect(door.metrics.frames, 'counted on across the update').toBeGreaterThan(before + 5);
    expect(source.requests.at(-1)!.attempt).toBe(0);
    const nowWanted: boolean[] = [];
    source.requests.at(-1)!.demand$.subscribe((now) => nowWanted.push(now));
    expect(nowWanted, 'frames$ taken: the new connection is asked for frames').toEqual([true]);
    taking.unsubscribe();

    cameras.remove('door');
    expect(ended).toBe(true);
    cameras.close();
    expect(source.active).toBe(0);
  });

  it('credentials: given apart from the URL, in the URL the source opens, and nowhere else', () => {
    const source = fakeCaptureSource();
    const cameras = rtspCameras({ source, cameras: { door: { url: 'rtsp://127.0.0.1/door', credentials: { username: 'viewer', password: 'p@ss:w#rd' } } } });
    const { address } = source.requests[0]!;
    expect(address.url).toBe('rtsp://viewer:p%40ss%3Aw%23rd@127.0.0.1/door');
    expect(address.redacted).not.toContain('p%40ss');
    expect(() => cameras.add('yard', { url: 'rtsp://127.0.0.1/yard', credentials: { username: 'viewer' } } as never)).toThrow(/^rtsp-rx: rtspCameras camera yard: option credentials must be/);
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
    expect(() => rtspCameras({ cameras: { yard: { url: 'rtsp://127.0.0.1/yard' } } }), 'no source, neither the registry nor the camera').toThrow('rtsp-rx: rtspCameras camera yard: option source is missing');
    rtspCameras({ cameras: { yard: { url: 'rtsp://127.0.0.1/yard', source } } }).close();
    expect(cameras.names).toEqual(['door']);
    cameras.close();
  });
});

function firstFrame(latest$: import('rxjs').Observable<Frame>): Promise<Frame> {
  return new Promise((resolve) => latest$.subscribe((frame) => resolve(frame)).unsubscribe());
}
