import { describe, expect, it } from 'vitest';
import { virtualTime } from '../test/virtual-time.js';
import { ReadDemand } from './read-demand.js';

/** A ReadDemand read at `readsAt` ms, and what its demand$ said when, heard from `listenFrom` ms. */
function heard(readsAt: number[], until: number, listenFrom = 0): Array<[number, boolean]> {
  const { scheduler, advanceTo } = virtualTime();
  const reads = new ReadDemand(scheduler);
  const said: Array<[number, boolean]> = [];
  for (const at of readsAt) scheduler.schedule(() => reads.read(), at);
  scheduler.schedule(() => reads.demand$.subscribe((wanted) => said.push([scheduler.now(), wanted])), listenFrom);
  advanceTo(until);
  return said;
}

describe('ReadDemand', () => {
  it('wants frames for 10 s after a read, and again at the next read', () => {
    expect(heard([5, 2005, 30_000], 41_000)).toEqual([[0, false], [5, true], [12_005, false], [30_000, true]]);
  });

  it('keeps wanting them for a slow poller: three times the gap between its last two reads', () => {
    // Reads 20 s apart: once their pace is known each opens a 60 s window, and demand holds.
    expect(heard([0, 20_000, 40_000, 60_000], 119_999)).toEqual([[0, true], [10_000, false], [20_000, true]]);
    expect(heard([0, 20_000, 40_000, 60_000], 120_000).at(-1)).toEqual([120_000, false]);
  });

  it('lets a read after a long silence open no window longer than 5 minutes', () => {
    expect(heard([0, 3_600_000], 4_000_000)).toEqual([[0, true], [10_000, false], [3_600_000, true], [3_900_000, false]]);
  });

  it('tells a late subscriber what is left of the window', () => {
    expect(heard([0], 20_000, 4000)).toEqual([[4000, true], [10_000, false]]);
  });
});
