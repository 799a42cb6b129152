import { asyncScheduler, BehaviorSubject, concat, distinctUntilChanged, map, of, switchMap, timer, type Observable, type SchedulerLike } from 'rxjs';

/** Milliseconds a read keeps frames wanted, at the least. */
export const READ_WINDOW_MIN = 10_000;
/** A read keeps frames wanted for this many times the gap between the last two reads, when that is longer... */
const READ_GAPS = 3;
/** ... but never longer than this: a read an hour after the last costs no three hours of conversion. */
export const READ_WINDOW_MAX = 300_000;

/**
 * Demand from code that polls rather than subscribes: frames are wanted for a while after each
 * read, for {@link READ_WINDOW_MIN} ms or three times the gap between the last two reads,
 * whichever is longer (up to {@link READ_WINDOW_MAX}), so a poller at a steady pace keeps them
 * coming and one that stopped reading stops their conversion. A subscriber to `demand$` that comes late hears what is
 * left of the window.
 *
 * ```
 * read():   r-----r---------------------
 * demand$:  t---------------------f
 *                 |<---- 10 s ---->|
 * ```
 *
 * @example
 * ```ts
 * const reads = new ReadDemand();
 * reads.demand$.subscribe((wanted) => console.log(wanted));
 * reads.read();
 * // false
 * // true
 * // false (10 s later)
 * ```
 */
export class ReadDemand {
  /** The time of the last read and the window it opened; none before the first. */
  readonly #last = new BehaviorSubject<{ readonly at: number; readonly window: number } | undefined>(undefined);

  /** `true` while the last read's window is open. */
  readonly demand$: Observable<boolean>;

  constructor(private readonly scheduler: SchedulerLike = asyncScheduler) {
    this.demand$ = this.#last.pipe(
      switchMap((last) => {
        const left = last === undefined ? 0 : last.at + last.window - scheduler.now();
        return left > 0 ? concat(of(true), timer(left, scheduler).pipe(map(() => false))) : of(false);
      }),
      distinctUntilChanged(),
    );
  }

  /** Notes a read: frames are wanted from now on, for the window. */
  read(): void {
    const at = this.scheduler.now();
    const previous = this.#last.value;
    const paced = previous === undefined ? 0 : READ_GAPS * (at - previous.at);
    this.#last.next({ at, window: Math.min(READ_WINDOW_MAX, Math.max(READ_WINDOW_MIN, paced)) });
  }
}
