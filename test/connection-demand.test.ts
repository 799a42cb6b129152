import { concat, interval, map, NEVER, of, startWith, type Observable, type SchedulerLike } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rtspConnection, type CaptureEvent, type CaptureSource } from '../src/index.js';
import { RtspStream } from '../src/opencv/index.js';
import { virtualTime } from './virtual-time.js';

/** A source that opens and then waits, noting what the connection says of demand. */
function demandProbe(): { source: CaptureSource; seen: boolean[] } {
  const seen: boolean[] = [];
  return {
    seen,
    source: {
      open: ({ demand$ }): Observable<CaptureEvent> => {
        demand$.subscribe((wanted) => seen.push(wanted));
        return NEVER.pipe(startWith<CaptureEvent>({ type: 'opened', info: { width: 4, height: 3, fps: 25 } }));
      },
    },
  };
}

describe('rtspConnection: demand follows who takes frames', () => {
  it('wanted while frames$, latest$ or events$ has a subscriber; connection$ alone wants none', () => {
    const { scheduler, advanceTo } = virtualTime();
    const { source, seen } = demandProbe();
    const connection = rtspConnection('rtsp://127.0.0.1/cam', { source }, scheduler);
    const watcher = connection.connection$.subscribe();
    advanceTo(10);
    expect(seen).toEqual([false]);
    for (const view$ of [connection.frames$, connection.latest$, connection.events$] as Array<Observable<unknown>>) {
      const taker = view$.subscribe();
      advanceTo(20);
      taker.unsubscribe();
    }
    const [first, second] = [connection.frames$.subscribe(), connection.latest$.subscribe()];
    first.unsubscribe();
    advanceTo(30);
    expect(seen, 'one taker left of two: still wanted').toEqual([false, true, false, true, false, true, false, true]);
    second.unsubscribe();
    watcher.unsubscribe();
    expect(seen.at(-1)).toBe(false);
  });

  it('a demand$ of the caller’s own is what the source hears', () => {
    const { scheduler, advanceTo } = virtualTime();
    const { source, seen } = demandProbe();
    const connection = rtspConnection('rtsp://127.0.0.1/cam', { source, demand$: of(true) }, scheduler);
    const watcher = connection.connection$.subscribe();
    advanceTo(10);
    watcher.unsubscribe();
    expect(seen).toEqual([true]);
  });
});

/** A camera at 25 fps whose capture sends frames only while they are wanted, and heartbeats otherwise. */
function demandingSource(scheduler: SchedulerLike): { source: CaptureSource; seen: Array<[number, boolean]> } {
  const seen: Array<[number, boolean]> = [];
  return {
    seen,
    source: {
      open: ({ demand$ }): Observable<CaptureEvent> => {
        let wanted = false;
        demand$.subscribe((next) => {
          wanted = next;
          seen.push([scheduler.now(), next]);
        });
        return concat(
          of<CaptureEvent>({ type: 'opened', info: { width: 4, height: 3, fps: 25 } }),
          interval(40, scheduler).pipe(
            map((): CaptureEvent =>
              wanted
                ? { type: 'frame', frame: { data: Buffer.alloc(36), width: 4, height: 3, channels: 3, pixelFormat: 'bgr', capturedAt: scheduler.now() } }
                : { type: 'heartbeat', reason: 'unwanted' },
            ),
          ),
        );
      },
    },
  };
}

describe('RtspStream: demand follows reads and takers', () => {
  it('wants frames while someone reads; a read after a pause returns no frame from before it, then a fresh one', () => {
    const { scheduler, advanceTo } = virtualTime();
    const { source, seen } = demandingSource(scheduler);
    const stream = new RtspStream('rtsp://127.0.0.1/cam', { source }, scheduler).start();
    advanceTo(1000);
    expect(stream.read()?.capturedAt).toBe(1000);
    // Nobody reads for 10 s: the capture stops sending frames.
    advanceTo(20_000);
    expect(seen).toEqual([[0, true], [11_000, false]]);
    expect(stream.isConnected).toBe(true);
    expect(stream.read(), 'the frame from before the pause').toBeUndefined();
    expect(seen.at(-1)).toEqual([20_000, true]);
    advanceTo(20_040);
    expect(stream.read()?.capturedAt).toBe(20_040);
    stream.stop();
  });

  it('wants frames while frames$ or latest$ has a subscriber, without reads; a demand$ of the caller’s own replaces both', () => {
    const { scheduler, advanceTo } = virtualTime();
    const { source, seen } = demandingSource(scheduler);
    const stream = new RtspStream('rtsp://127.0.0.1/cam', { source }, scheduler).start();
    const taker = stream.latest$.subscribe();
    advanceTo(30_000);
    taker.unsubscribe();
    advanceTo(31_000);
    expect(seen).toEqual([[0, true], [30_000, false]]);
    stream.stop();

    const driven = demandingSource(scheduler);
    const own = new RtspStream('rtsp://127.0.0.1/cam', { source: driven.source, demand$: of(false) }, scheduler).start();
    own.read();
    advanceTo(32_000);
    expect(driven.seen.map(([, wanted]) => wanted)).toEqual([false]);
    own.stop();
  });
});
