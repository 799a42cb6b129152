import { BehaviorSubject, defer, distinctUntilChanged, finalize, map, type Observable } from 'rxjs';

/**
 * Who takes frames from one camera. Its `demand$`, given as the camera's `demand$` option,
 * drives the capture, which then converts, encodes and sends pictures only while someone
 * takes them: an MJPEG endpoint nobody watches costs no encoding.
 *
 * ```
 * taking(frames$):   ^-----!    ^--!
 * taking(latest$):      ^-----!
 * demand$:           t--------f-t--f
 * ```
 *
 * @example
 * ```ts
 * const demand = new CameraDemand();
 * const camera = rtspConnection(url, { source: opencvCaptureSource({ pixelFormat: 'jpeg' }), demand$: demand.demand$ });
 * const frames$ = demand.taking(camera.frames$);
 * demand.demand$.subscribe((wanted) => console.log(wanted));
 * const viewer = frames$.subscribe();
 * viewer.unsubscribe();
 * // false
 * // true
 * // false
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
