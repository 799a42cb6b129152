import { of, type Observable, type SchedulerLike } from 'rxjs';
import type { CameraAddress } from './camera-address.js';
import type { CaptureSource } from './capture-source.js';
import { debugLogger, type Logger } from './logger.js';
import type { WatchdogConfig } from './operators/capture-watchdog.js';
import { checkOptions, checkValue, RULES, type Rule } from './validation.js';

/**
 * How rtsp-rx waits between reconnect attempts. All times in milliseconds.
 *
 * @example
 * ```ts
 * // 0.5 s, 1 s, 2 s, ... at most 10 s, give up after 20 failures in a row
 * const patient: ReconnectOptions = { reconnectDelay: 500, reconnectBackoff: 2, maxReconnectDelay: 10_000, maxReconnectAttempts: 20 };
 * ```
 */
export interface ReconnectOptions {
  /** Wait before the first reconnect attempt, in milliseconds. Default 1000. */
  readonly reconnectDelay?: number;
  /** Each further attempt waits this many times longer (1 keeps it constant). Default 2. */
  readonly reconnectBackoff?: number;
  /** Upper bound of the wait, in milliseconds, before jitter. Default 30000. */
  readonly maxReconnectDelay?: number;
  /**
   * How many reconnect attempts in a row may fail before rtsp-rx gives up with a
   * `ReconnectExhaustedError`. A connection that delivers a frame starts the count anew.
   * 0 never reconnects. Default `Infinity`.
   */
  readonly maxReconnectAttempts?: number;
  /**
   * Adds a random share of up to this fraction to each wait (0.2: up to 20 % longer), so that
   * many clients of one camera do not reconnect in step. Between 0 and 1. Default 0.
   */
  readonly reconnectJitter?: number;
  /**
   * Retry causes that no retry can cure (`UNAUTHORIZED`, `NOT_FOUND`, `UNSUPPORTED_TRANSPORT`,
   * `CAPTURE_UNAVAILABLE`) like any other, for a camera whose settings someone will fix while
   * it runs. Default `false`: give up on them at once, so the mistake shows.
   */
  readonly retryOnPermanentError?: boolean;
}

/**
 * Options of `rtspFrames$` and `rtspEvents$`: the capture source, the back-off, the watchdogs.
 *
 * @example
 * ```ts
 * const options: RtspOptions = { source, openTimeout: 5_000, stallTimeout: 2_000 };
 * ```
 */
export interface RtspOptions extends ReconnectOptions {
  /** What opens the camera: one attempt per `open` call. */
  readonly source: CaptureSource;
  /**
   * An attempt that has not opened the stream after this many milliseconds fails with
   * `OPEN_TIMEOUT`. `Infinity` turns it off. Default 10000.
   */
  readonly openTimeout?: number;
  /**
   * An opened stream that delivers no first frame for this many milliseconds has stalled
   * (`STALLED`). Longer than `stallTimeout`, because a camera sends its first picture only at
   * its next keyframe, which can be many seconds away. `Infinity` turns it off. Default 20000.
   */
  readonly firstFrameTimeout?: number;
  /**
   * An open stream whose camera sends no picture for this many milliseconds has stalled: the
   * attempt fails with `STALLED` and a reconnect follows. Pictures the source skips (a
   * frame-rate cap, nobody asking) count, through its heartbeats. `Infinity` turns it off.
   * Default 5000.
   */
  readonly stallTimeout?: number;
  /**
   * Whether anyone wants frames now, an Observable that gives its current value on subscribe.
   * While it says `false` the source may keep the stream open and decode without converting
   * or sending, and the watchdog believes its heartbeats; while it says `true` only delivered
   * frames keep the connection alive. Default: frames always wanted.
   */
  readonly demand$?: Observable<boolean>;
  /**
   * Where the connection's changes of state go: connecting (debug), connected (info), each
   * drop and reconnect with its cause (warn), the give-up (error). Any object with `debug`,
   * `info`, `warn` and `error`, such as `console` or a pino logger. Default: silent unless
   * `NODE_DEBUG=rtsp-rx`. Lines never contain a password.
   */
  readonly logger?: Logger;
}

/**
 * Options of `rtspConnection`: those of `rtspFrames$`, plus how long to keep an idle camera.
 *
 * @example
 * ```ts
 * const options: RtspConnectionOptions = { source, releaseGrace: 2_000 };
 * ```
 */
export interface RtspConnectionOptions extends RtspOptions {
  /**
   * When the last subscriber leaves, keep the camera open this many milliseconds in case
   * another one comes. Default 0: release at once.
   */
  readonly releaseGrace?: number;
}

/**
 * Every option with its value or default, checked, in slices: each layer is given only its own.
 */
export interface ResolvedOptions {
  readonly address: CameraAddress;
  readonly source: CaptureSource;
  readonly reconnect: Required<ReconnectOptions>;
  readonly watchdog: Required<WatchdogConfig>;
  /** `releaseGrace`: how long a shared connection outlives its last subscriber. */
  readonly release: number;
  readonly logger: Logger;
}

const RECONNECT_DEFAULTS: Required<ReconnectOptions> = {
  reconnectDelay: 1000,
  reconnectBackoff: 2,
  maxReconnectDelay: 30_000,
  maxReconnectAttempts: Infinity,
  reconnectJitter: 0,
  retryOnPermanentError: false,
};

const WATCHDOG_DEFAULTS: Required<WatchdogConfig> = {
  openTimeout: 10_000,
  firstFrameTimeout: 20_000,
  stallTimeout: 5_000,
  demand$: of(true),
};

/** The rule of each option of `rtspConnection`, `rtspFrames$` and `rtspEvents$`. */
export const CONNECTION_OPTION_RULES = {
  source: { type: 'a capture source (an object with an open(request) method)', isType: (v: unknown) => RULES.methods('open').isType(v) },
  reconnectDelay: RULES.milliseconds,
  reconnectBackoff: RULES.factor,
  maxReconnectDelay: RULES.milliseconds,
  maxReconnectAttempts: RULES.attempts,
  reconnectJitter: RULES.fraction,
  retryOnPermanentError: RULES.boolean,
  openTimeout: RULES.timeout,
  firstFrameTimeout: RULES.timeout,
  stallTimeout: RULES.timeout,
  demand$: RULES.observable,
  logger: RULES.methods('debug', 'info', 'warn', 'error'),
  releaseGrace: RULES.milliseconds,
} as const satisfies Record<keyof RtspConnectionOptions, Rule>;

/**
 * Checks every option at once, so that a mistake throws where it was made rather than when the
 * stream is subscribed, and cuts them into the slices each layer needs. Messages start with
 * `context`, the entry point the user called.
 *
 * @throws TypeError for a wrong type, an unknown option or a missing source; RangeError for a value out of range.
 */
export function resolveOptions(context: string, address: CameraAddress, options: RtspConnectionOptions, scheduler?: SchedulerLike): ResolvedOptions {
  checkOptions(context, options, CONNECTION_OPTION_RULES);
  if (options.source === undefined) throw new TypeError(`rtsp-rx: ${context}: option source is missing: a capture source such as opencvCaptureSource()`);
  if (scheduler !== undefined) checkValue(context, 'scheduler', scheduler, { type: 'an RxJS scheduler', isType: RULES.methods('schedule', 'now').isType });
  const reconnect = { ...RECONNECT_DEFAULTS, ...pick(options, RECONNECT_DEFAULTS) };
  if (reconnect.maxReconnectDelay < reconnect.reconnectDelay) {
    throw new RangeError(`rtsp-rx: ${context}: option maxReconnectDelay (${reconnect.maxReconnectDelay}) must not be below reconnectDelay (${reconnect.reconnectDelay})`);
  }
  return {
    address,
    source: options.source,
    reconnect,
    watchdog: { ...WATCHDOG_DEFAULTS, ...pick(options, WATCHDOG_DEFAULTS) },
    release: options.releaseGrace ?? 0,
    logger: options.logger ?? debugLogger,
  };
}

/** The options given (not undefined) that belong to `slice`, whose defaults name them. */
function pick<T extends object>(options: Partial<T>, slice: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([name, value]) => name in slice && value !== undefined)) as Partial<T>;
}
