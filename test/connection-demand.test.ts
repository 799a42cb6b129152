import { NEVER, of, startWith, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rtspConnection, type CaptureEvent, type CaptureSource } from '../src/index.js';
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
