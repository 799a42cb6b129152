import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { CameraDemand } from './camera-demand.js';

describe('CameraDemand', () => {
  it('says frames are wanted while any stream made by taking() has a subscriber, and only on changes', () => {
    const demand = new CameraDemand();
    const said: boolean[] = [];
    demand.demand$.subscribe((wanted) => said.push(wanted));
    const frames$ = demand.taking(new Subject<number>());
    const latest$ = demand.taking(new Subject<number>());
    expect(demand.idle).toBe(true);

    const first = frames$.subscribe();
    const second = latest$.subscribe();
    expect(demand.idle).toBe(false);
    first.unsubscribe();
    second.unsubscribe();
    expect(demand.idle).toBe(true);
    frames$.subscribe().unsubscribe();
    expect(said).toEqual([false, true, false, true, false]);
  });

  it('lets go of a taker whose stream ends or fails', () => {
    const demand = new CameraDemand();
    const source = new Subject<number>();
    const taken = demand.taking(source);
    taken.subscribe({ error: () => undefined });
    taken.subscribe({ error: () => undefined });
    source.error(new Error('camera gone'));
    expect(demand.idle).toBe(true);
  });
});
