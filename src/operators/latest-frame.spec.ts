import { describe, expect, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import { latestFrame } from './latest-frame.js';

describe('latestFrame', () => {
  it('shares one subscription and hands a late subscriber the newest value at once', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-|');
      const latest$ = source.pipe(latestFrame<string>());
      expectObservable(latest$, '^-------!').toBe('-a-b-c-d');
      expectObservable(latest$, '----^---!').toBe('----bc-d');
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('releases the source when the last subscriber leaves, and reopens it for the next', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f');
      const latest$ = source.pipe(latestFrame<string>());
      expectObservable(latest$, '^--!').toBe('-a-');
      expectObservable(latest$, '-------^---!').toBe('--------a-b');
      expectSubscriptions(source.subscriptions).toBe(['^--!', '-------^---!']);
    });
  });

  it('keeps the source for the grace period and hands a returning subscriber the newest value', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-g');
      const latest$ = source.pipe(latestFrame<string>({ grace: 5 }));
      expectObservable(latest$, '^--!').toBe('-a-');
      expectObservable(latest$, '------^--!').toBe('------cd-');
      expectSubscriptions(source.subscriptions).toBe('^ 13ms !');
    });
  });

  it('takes the scheduler as its last parameter', () => {
    const scheduler = testScheduler();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b');
      expectObservable(source.pipe(latestFrame<string>({ grace: 3 }, scheduler)), '^-!').toBe('-a');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('starts over after an error instead of replaying it', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#');
      const latest$ = source.pipe(latestFrame<string>());
      expectObservable(latest$).toBe('-a-#');
      expectObservable(latest$, '-----^--!').toBe('------a-');
      expectSubscriptions(source.subscriptions).toBe(['^--!', '-----^--!']);
    });
  });

  it.each([-1, Infinity, Number.NaN, '5'])('rejects grace %s with a RangeError naming it', (grace) => {
    expect(() => latestFrame({ grace: grace as number })).toThrow(RangeError);
    expect(() => latestFrame({ grace: grace as number })).toThrow(/option grace .*got/);
  });
});
