import { BehaviorSubject, defer, distinctUntilChanged, finalize, map, type Observable } from 'rxjs';

/**
 * Who takes frames from one camera. Its `demand$` drives the camera's capture, which then
 * converts, encodes and sends pictures only while someone takes them.
 *
 * ```
 * taking(frames$):   ^-----!   ^--!
 * taking(latest$):      ^-------!
 * demand$:           t---------f-t--f
 * ```
 *
 * @example
 * ```ts
 * const demand = new CameraDemand();
 * const stream = new RtspStream(url, { pixelFormat: 'jpeg', demand$: demand.demand$ });
 * const frames$ = demand.taking(stream.frames$);
 * ```
 */
export class CameraDemand {
  readonly #takers = new BehaviorSubject(0);

  /** `true` while anyone is subscribed to a stream made by {@link taking}. */
  readonly demand$: Observable<boolean> = this.#takers.pipe(
    map((takers) => takers > 0),
    distinctUntilChanged(),
  );

  /** Whether nobody takes frames now: then the capture has sent none lately. */
  get idle(): boolean {
    return this.#takers.value === 0;
  }

  /** `source$`, with each of its subscribers counted as taking frames. */
  taking<T>(source$: Observable<T>): Observable<T> {
    return defer(() => {
      this.#takers.next(this.#takers.value + 1);
      return source$.pipe(finalize(() => this.#takers.next(this.#takers.value - 1)));
    });
  }
}
