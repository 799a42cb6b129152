import { TestScheduler } from 'rxjs/testing';
import { expect } from 'vitest';

/** A TestScheduler whose marble assertions are vitest's deep equality. */
export const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/**
 * A TestScheduler passed explicitly (not in `run` mode), so that a test proves every timer of
 * the code under test goes through the scheduler it was given, and a clock to step it.
 */
export function virtualTime() {
  const scheduler = testScheduler();
  return {
    scheduler,
    /** Runs everything due up to `ms` milliseconds of virtual time. */
    advanceTo(ms: number): void {
      scheduler.maxFrames = ms;
      scheduler.flush();
    },
  };
}
