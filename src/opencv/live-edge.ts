/**
 * Tells, picture by picture, whether a capture that has just opened is still handing out
 * pictures from FFmpeg's buffer or has reached the live edge.
 *
 * FFmpeg reads up to about 1.4 s of packets while it probes a stream, and hands them out first.
 * They decode faster than the camera sends, so their presentation time runs ahead of the
 * clock: each such picture lowers `arrival - pts` (its lag). A live picture keeps pace with
 * the camera, and the lag holds. The edge is reached when `steadyPictures` pictures in a row
 * lower the lag by no more than `jitter` ms, or when no picture follows within `gap` ms (a
 * buffered one would have: it only needs decoding).
 *
 * @example
 * ```ts
 * const edge = new LiveEdge();
 * // Three buffered pictures 40 ms of stream apart, read 5 ms apart; then the camera's pace.
 * [[0, 0], [5, 40], [10, 80], [50, 120], [90, 160]].map(([at, pts]) => edge.see(at!, pts!));
 * // → [false, false, false, false, true]
 * ```
 */
export class LiveEdge {
  private lowestLag = Infinity;
  private steady = 0;
  #reached = false;

  constructor(private readonly limits: LiveEdgeLimits = LIVE_EDGE_LIMITS) {}

  /**
   * Whether this picture, read at `arrival` ms (any clock) with presentation time `pts` ms, is
   * at the live edge. Once true, always true.
   */
  see(arrival: number, pts: number): boolean {
    if (this.#reached) return true;
    // Without a usable presentation time there is nothing to tell the buffer by.
    if (!Number.isFinite(pts)) return (this.#reached = true);
    const lag = arrival - pts;
    if (lag < this.lowestLag - this.limits.jitter) {
      this.lowestLag = lag;
      this.steady = 0;
      return false;
    }
    this.lowestLag = Math.min(this.lowestLag, lag);
    return (this.#reached = ++this.steady >= this.limits.steadyPictures);
  }

  /** No picture came within `gap` ms of the last one: whatever was buffered is out. */
  quiet(): void {
    this.#reached = true;
  }

  /** Whether the live edge has been reached. */
  get reached(): boolean {
    return this.#reached;
  }

  get gap(): number {
    return this.limits.gap;
  }
}

/** How {@link LiveEdge} tells the buffer from the camera's pace. */
export interface LiveEdgeLimits {
  /** Milliseconds a live picture's lag may fall by, from network jitter alone. */
  readonly jitter: number;
  /** Pictures in a row that keep the camera's pace before the edge counts as reached. */
  readonly steadyPictures: number;
  /** Milliseconds without a picture after which the buffer is surely empty. */
  readonly gap: number;
}

/**
 * Measured at 1920x1080 on 2 cores: buffered pictures came out 3 to 46 ms apart (decoder start
 * and CPU contention make the slow ones), each lowering the lag by 10 ms or more at 25 fps;
 * live ones 25 to 62 ms apart around the camera's 40 ms.
 */
export const LIVE_EDGE_LIMITS: LiveEdgeLimits = { jitter: 5, steadyPictures: 2, gap: 100 };
