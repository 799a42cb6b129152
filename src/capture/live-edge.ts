/**
 * Tells, picture by picture, whether a capture that has just opened is still handing out
 * pictures from FFmpeg's buffer or has reached the live edge.
 *
 * FFmpeg reads up to about 1.4 s of packets while it probes a stream, and hands them out first.
 * They decode faster than the camera sends, so their presentation time runs ahead of the
 * clock: each such picture lowers `arrival - pts` (its lag). A live picture keeps pace with
 * the camera, and the lag holds. The edge is reached when over `window` pictures the lag fell
 * by no more than `jitter` ms, when no picture follows within `gap` ms (a buffered one would
 * have: it only needs decoding), or `maxHold` ms after the first picture.
 *
 * @example
 * ```ts
 * const edge = new LiveEdge();
 * // Three buffered pictures 40 ms of stream apart, read 5 ms apart; then the camera's pace.
 * [[0, 0], [5, 40], [10, 80], [50, 120], [90, 160], [130, 200], [170, 240], [210, 280]].map(([at, pts]) => edge.see(at!, pts!));
 * // → [false, false, false, false, false, false, true, true]
 * ```
 */
export class LiveEdge {
  /** The lags of the last `window + 1` pictures. */
  private readonly lags: number[] = [];
  private firstArrival: number | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private quietCheck: NodeJS.Immediate | undefined;
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
    this.firstArrival ??= arrival;
    this.lags.push(arrival - pts);
    if (this.lags.length > this.limits.window + 1) this.lags.shift();
    // A decoder slower than the camera never drains its buffer: it is as live as it gets.
    if (arrival - this.firstArrival >= this.limits.maxHold) return (this.#reached = true);
    if (this.lags.length <= this.limits.window) return false;
    // Over the window the lag fell no more than jitter: these pictures kept the camera's pace.
    return (this.#reached = this.lags[0]! - this.lags.at(-1)! <= this.limits.jitter);
  }

  /** No picture came within `gap` ms of the last one: whatever was buffered is out. */
  quiet(): void {
    this.#reached = true;
  }

  /**
   * {@link see}, and for a picture that is not live yet, a wait: if no other picture follows
   * within `gap` ms, the buffer is out, the edge is reached, and `onQuiet` is called.
   */
  hold(arrival: number, pts: number, onQuiet: () => void): boolean {
    this.stop();
    if (this.see(arrival, pts)) return true;
    this.quietTimer = setTimeout(() => {
      // An event loop that was busy runs its timers before it reads what came meanwhile: the
      // wait is over only if that read brings no picture either (which would call stop()).
      this.quietCheck = setImmediate(() => {
        this.quiet();
        onQuiet();
      });
    }, this.limits.gap);
    return false;
  }

  /** Cancels the wait of {@link hold}. */
  stop(): void {
    clearTimeout(this.quietTimer);
    clearImmediate(this.quietCheck);
  }

  /** Whether the live edge has been reached. */
  get reached(): boolean {
    return this.#reached;
  }

}

/** How {@link LiveEdge} tells the buffer from the camera's pace. */
export interface LiveEdgeLimits {
  /** Milliseconds a live picture's lag may fall by over the window, from network jitter alone. */
  readonly jitter: number;
  /** Pictures over which the lag must hold for the edge to count as reached. */
  readonly window: number;
  /** Milliseconds after the first picture after which whatever comes counts as live. */
  readonly maxHold: number;
  /** Milliseconds without a picture after which the buffer is surely empty. */
  readonly gap: number;
}

/**
 * Measured at 1920x1080 on 2 cores: buffered pictures came out 3 to 46 ms apart, and under a
 * load of 5 on 2 cores two or three in a row could each take as long as the camera's 40 ms
 * (a window of two pictures then mistook the buffer for the edge); live ones 25 to 62 ms
 * apart around 40 ms. The buffer holds at most about 1.4 s of packets.
 */
export const LIVE_EDGE_LIMITS: LiveEdgeLimits = { jitter: 5, window: 4, maxHold: 3000, gap: 100 };
