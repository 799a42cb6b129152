import type { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { Frame, RtspEvent } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { latestFrame } from './latest-frame.js';

const frame = (letter: string): Frame => ({ data: Buffer.from(letter), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0, sequence: letter.charCodeAt(0) });
const frames = { a: frame('a'), b: frame('b'), d: frame('d'), u: undefined };
const events: Record<string, RtspEvent> = {
  c: { type: 'state', state: { status: 'connecting', attempt: 0 } },
  k: { type: 'state', state: { status: 'connected', since: 0, info: { width: 1, height: 1, fps: 25 } } },
  r: { type: 'state', state: { status: 'reconnecting', attempt: 1, delay: 1, cause: new RtspError('STALLED', 'stalled') } },
  x: { type: 'state', state: { status: 'closed' } },
  a: { type: 'frame', frame: frames.a },
  b: { type: 'frame', frame: frames.b },
  d: { type: 'frame', frame: frames.d },
};
const run = (callback: Parameters<TestScheduler['run']>[0]) => testScheduler().run(callback);

describe('latestFrame', () => {
  it('hands a newcomer the newest frame at once, over one subscription', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-c-k-a-b-d', events);
      const newest$ = source.pipe(latestFrame());
      expectObservable(newest$, '^---------!').toBe('-u---a-b-d', frames);
      expectObservable(newest$, '------^---!').toBe('------ab-d', frames);
      expectSubscriptions(source.subscriptions).toBe('^---------!');
    });
  });

  it('forgets the frame on every state but connected: an outage, and the end', () => {
    run(({ cold, expectObservable }) => {
      const newest$ = cold('-c-k-a-b-r-c-k-d-x', events).pipe(latestFrame());
      expectObservable(newest$).toBe('-u---a-b-u-----d-u', frames);
      expectObservable(newest$, '----------^-------!').toBe('----------u----d-u', frames);
    });
  });

  it('releases the source when the last subscriber leaves, and starts afresh for the next', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-c-k-a-b', events);
      const newest$ = source.pipe(latestFrame());
      expectObservable(newest$, '^-----!').toBe('-u---a', frames);
      expectObservable(newest$, '--------^-------!').toBe('---------u---a-b', frames);
      expectSubscriptions(source.subscriptions).toBe(['^-----!', '--------^-------!']);
    });
  });

  it('keeps the source for the grace period, with the scheduler as its last parameter', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-c-k-a-b-d', events);
      const newest$ = source.pipe(latestFrame({ grace: 4 }, scheduler));
      expectObservable(newest$, '^-----!').toBe('-u---a', frames);
      expectObservable(newest$, '--------^-!').toBe('--------bd', frames);
      expectSubscriptions(source.subscriptions).toBe('^ 13ms !');
    });
  });

  it.each([-1, Infinity, Number.NaN])('rejects grace %s with a RangeError naming it', (grace) => {
    expect(() => latestFrame({ grace })).toThrow(RangeError);
    expect(() => latestFrame({ grace })).toThrow(`rtsp-rx: latestFrame: option grace must be a finite number of milliseconds from 0 to 2147483647; got ${grace}`);
  });

  it('rejects a grace of the wrong type, and an unknown option, with a TypeError', () => {
    expect(() => latestFrame({ grace: '5' as unknown as number })).toThrow('option grace must be a number; got "5"');
    expect(() => latestFrame({ gracee: 5 } as object)).toThrow('unknown option gracee; did you mean grace?');
  });
});
