import { of, toArray, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { cameraAddress, type CaptureEvent } from '../src/index.js';
import { fakeCaptureSource, type FakeCaptureSourceOptions } from '../src/testing/index.js';
import { virtualTime } from './virtual-time.js';

const request = { address: cameraAddress('test', 'rtsp://127.0.0.1/fake'), attempt: 0, demand$: of(true) };

function record(options: FakeCaptureSourceOptions, until: number) {
  const { scheduler, advanceTo } = virtualTime();
  const source = fakeCaptureSource(options, scheduler);
  const seen: Array<[number, CaptureEvent['type'] | 'error' | 'complete', unknown?]> = [];
  const subscription = (source.open(request) as Observable<CaptureEvent>).subscribe({
    next: (event) => seen.push([scheduler.now(), event.type, event.type === 'frame' ? event.frame : event.type === 'opened' ? event.info : undefined]),
    error: (error: unknown) => seen.push([scheduler.now(), 'error', (error as { code: string }).code]),
    complete: () => seen.push([scheduler.now(), 'complete']),
  });
  advanceTo(until);
  return { source, seen, subscription };
}

describe('fakeCaptureSource', () => {
  it('streams frames of the configured size and format at its frame rate, stamped with the scheduler clock', () => {
    const { seen } = record({ width: 8, height: 4, fps: 10, pixelFormat: 'gray', attempts: [{ outcome: 'stream', frames: 2, then: 'end' }] }, 1000);
    expect(seen.map(([at, type]) => [at, type])).toEqual([
      [0, 'opened'],
      [100, 'frame'],
      [200, 'frame'],
      [200, 'complete'],
    ]);
    expect(seen[0]![2]).toEqual({ width: 8, height: 4, fps: 10, codec: 'fake' });
    const frames = seen.slice(1, 3).map(([, , frame]) => frame as { data: Buffer; channels: number; capturedAt: number });
    expect(frames.map((frame) => [frame.data.length, frame.channels, frame.capturedAt])).toEqual([
      [32, 1, 100],
      [32, 1, 200],
    ]);
    expect(frames[0]!.data.equals(frames[1]!.data)).toBe(false);
  });

  it('draws three bytes a pixel in BGR and RGB', () => {
    const { seen } = record({ width: 2, height: 2, pixelFormat: 'rgb', attempts: [{ outcome: 'stream', frames: 1, then: 'end' }] }, 100);
    expect(seen[1]![2]).toMatchObject({ channels: 3, pixelFormat: 'rgb', width: 2, height: 2 });
    expect((seen[1]![2] as { data: Buffer }).data).toHaveLength(12);
  });

  it('refuses after a while with the scripted code, drops with ECONNRESET by default, and can hang or stall', () => {
    expect(record({ attempts: [{ outcome: 'refuse', after: 30, code: 'UNAUTHORIZED' }] }, 100).seen).toEqual([[30, 'error', 'UNAUTHORIZED']]);
    expect(record({ fps: 100, attempts: [{ outcome: 'stream', frames: 1 }] }, 100).seen.map(([at, type, detail]) => [at, type, type === 'error' ? detail : undefined])).toEqual([
      [0, 'opened', undefined],
      [10, 'frame', undefined],
      [10, 'error', 'ECONNRESET'],
    ]);
    expect(record({ attempts: [{ outcome: 'hang' }] }, 60_000).seen).toEqual([]);
    expect(record({ fps: 100, attempts: [{ outcome: 'stream', openAfter: 50, frames: 1, then: 'stall' }] }, 60_000).seen.map(([at, type]) => [at, type])).toEqual([
      [50, 'opened'],
      [60, 'frame'],
    ]);
  });

  it('plays the attempts in order, repeats the last, and counts what is open', () => {
    const { scheduler, advanceTo } = virtualTime();
    const source = fakeCaptureSource({ attempts: [{ outcome: 'refuse' }, { outcome: 'hang' }] }, scheduler);
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      source.open({ ...request, attempt }).pipe(toArray()).subscribe({ next: () => outcomes.push('complete'), error: () => outcomes.push('error') });
    }
    advanceTo(10);
    expect(outcomes).toEqual(['error']);
    expect(source.opened).toBe(3);
    expect(source.active).toBe(2);
    expect(source.requests.map((r) => r.attempt)).toEqual([0, 1, 2]);
  });

  it('rejects an empty script', () => {
    expect(() => fakeCaptureSource({ attempts: [] })).toThrow(/option attempts of fakeCaptureSource must hold at least one attempt/);
  });
});
