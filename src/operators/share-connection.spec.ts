import type { TestScheduler } from 'rxjs/testing';
import { describe, it } from 'vitest';
import { testScheduler } from '../../test/virtual-time.js';
import type { RtspEvent } from '../capture-source.js';
import { shareConnection } from './share-connection.js';

const frame = (letter: string): RtspEvent => ({
  type: 'frame',
  frame: { data: Buffer.from(letter), width: 1, height: 1, channels: 1, pixelFormat: 'gray', capturedAt: 0, sequence: 1 },
});
const events: Record<string, RtspEvent> = {
  c: { type: 'state', state: { status: 'connecting', attempt: 0 } },
  k: { type: 'state', state: { status: 'connected', since: 0, info: { width: 1, height: 1, fps: 25 } } },
  a: frame('a'),
  b: frame('b'),
};
const run = (callback: Parameters<TestScheduler['run']>[0]) => testScheduler().run(callback);

describe('shareConnection', () => {
  it('hands a newcomer the current state, never an old frame, over one subscription', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('c-k-a-b-a', events);
      const shared$ = source.pipe(shareConnection());
      expectObservable(shared$, '^-------!').toBe('c-k-a-b-', events);
      expectObservable(shared$, '-----^--!').toBe('-----kb-', events);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('forgets the state when released, so a later subscriber starts a new connection', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('c-k-a', events);
      const shared$ = source.pipe(shareConnection());
      expectObservable(shared$, '^---!').toBe('c-k-', events);
      expectObservable(shared$, '------^---!').toBe('------c-k-', events);
      expectSubscriptions(source.subscriptions).toBe(['^---!', '------^---!']);
    });
  });

  it('keeps the connection for the grace period', () => {
    run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('c-k-a-b-a-b-a', events);
      const shared$ = source.pipe(shareConnection({ grace: 6 }));
      expectObservable(shared$, '^!').toBe('c', events);
      expectObservable(shared$, '-----^--!').toBe('-----kb-', events);
      expectSubscriptions(source.subscriptions).toBe('^ 13ms !');
    });
  });
});
