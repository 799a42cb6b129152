import { isObservable, of, type Observable, type SchedulerLike } from 'rxjs';
import type { CaptureSource } from './capture-source.js';
import { redactUrl } from './redact.js';

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

/** Every option with its value or default, checked. */
export type ResolvedOptions = Required<RtspConnectionOptions> & { readonly url: string };

/** `setTimeout` fires at once for anything above this, so no wait may be longer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const DEFAULTS = {
  reconnectDelay: 1000,
  reconnectBackoff: 2,
  maxReconnectDelay: 30_000,
  maxReconnectAttempts: Infinity,
  reconnectJitter: 0,
  retryOnPermanentError: false,
  openTimeout: 10_000,
  firstFrameTimeout: 20_000,
  stallTimeout: 5_000,
  releaseGrace: 0,
  demand$: of(true),
} as const satisfies Omit<ResolvedOptions, 'url' | 'source'>;

type Check = (name: string, value: unknown) => void;

const milliseconds: Check = (name, value) => {
  number(name, value);
  if (!Number.isFinite(value) || (value as number) < 0 || (value as number) > MAX_TIMER_MS) {
    throw new RangeError(`rtsp-rx: option ${name} must be a finite number of milliseconds from 0 to ${MAX_TIMER_MS}; got ${describe(value)}`);
  }
};

const timeoutMilliseconds: Check = (name, value) => {
  number(name, value);
  if (value === Infinity) return;
  if (Number.isNaN(value) || (value as number) <= 0 || (value as number) > MAX_TIMER_MS) {
    throw new RangeError(`rtsp-rx: option ${name} must be a number of milliseconds above 0 and up to ${MAX_TIMER_MS}, or Infinity; got ${describe(value)}`);
  }
};

const CHECKS: Record<keyof Omit<RtspConnectionOptions, 'source'>, Check> = {
  reconnectDelay: milliseconds,
  maxReconnectDelay: milliseconds,
  releaseGrace: milliseconds,
  openTimeout: timeoutMilliseconds,
  firstFrameTimeout: timeoutMilliseconds,
  stallTimeout: timeoutMilliseconds,
  retryOnPermanentError: (name, value) => {
    if (typeof value !== 'boolean') throw new TypeError(`rtsp-rx: option ${name} must be a boolean; got ${describe(value)}`);
  },
  demand$: (name, value) => {
    if (!isObservable(value)) throw new TypeError(`rtsp-rx: option ${name} must be an Observable of booleans; got ${describe(value)}`);
  },
  reconnectBackoff: (name, value) => {
    number(name, value);
    if (!Number.isFinite(value) || (value as number) < 1) {
      throw new RangeError(`rtsp-rx: option ${name} must be a finite number of at least 1; got ${describe(value)}`);
    }
  },
  maxReconnectAttempts: (name, value) => {
    number(name, value);
    if (value !== Infinity && (!Number.isInteger(value) || (value as number) < 0)) {
      throw new RangeError(`rtsp-rx: option ${name} must be a whole number of at least 0, or Infinity; got ${describe(value)}`);
    }
  },
  reconnectJitter: (name, value) => {
    number(name, value);
    if (!((value as number) >= 0 && (value as number) <= 1)) {
      throw new RangeError(`rtsp-rx: option ${name} must be a number from 0 to 1; got ${describe(value)}`);
    }
  },
};

/**
 * Checks the URL and every option at once, so that a mistake throws where it was made rather
 * than when the stream is subscribed. Throws `TypeError` for a wrong type or an unknown option
 * and `RangeError` for a value out of range, naming the option and the value (password hidden).
 */
export function resolveOptions(url: unknown, options: unknown, scheduler?: unknown): ResolvedOptions {
  checkUrl(url);
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`rtsp-rx: options must be an object with at least a source; got ${describe(options)}`);
  }
  const given = options as Record<string, unknown>;
  const source = given['source'] as Partial<CaptureSource> | undefined;
  if (typeof source !== 'object' || source === null || typeof source.open !== 'function') {
    throw new TypeError(`rtsp-rx: option source must be a capture source (an object with an open(request) method); got ${describe(source)}`);
  }
  for (const [name, value] of Object.entries(given)) {
    if (name === 'source' || value === undefined) continue;
    const check = CHECKS[name as keyof typeof CHECKS];
    if (check === undefined) throw new TypeError(`rtsp-rx: unknown option ${name}; the options are source, ${Object.keys(CHECKS).join(', ')}`);
    check(name, value);
  }
  const resolved = { ...DEFAULTS, ...definedEntries(given), source, url } as ResolvedOptions;
  if (resolved.maxReconnectDelay < resolved.reconnectDelay) {
    throw new RangeError(`rtsp-rx: option maxReconnectDelay (${resolved.maxReconnectDelay}) must not be below reconnectDelay (${resolved.reconnectDelay})`);
  }
  if (scheduler !== undefined && typeof (scheduler as Partial<SchedulerLike> | null)?.schedule !== 'function') {
    throw new TypeError(`rtsp-rx: scheduler must be an RxJS scheduler; got ${describe(scheduler)}`);
  }
  return resolved;
}

function checkUrl(url: unknown): asserts url is string {
  if (typeof url !== 'string') throw new TypeError(`rtsp-rx: url must be a string; got ${describe(url)}`);
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new TypeError(`rtsp-rx: url must be an rtsp:// or rtsps:// URL; got ${describe(url)}`);
  }
  if (protocol !== 'rtsp:' && protocol !== 'rtsps:') {
    throw new TypeError(`rtsp-rx: url must be an rtsp:// or rtsps:// URL; got ${describe(url)}`);
  }
}

function number(name: string, value: unknown): void {
  if (typeof value !== 'number') throw new TypeError(`rtsp-rx: option ${name} must be a number; got ${describe(value)}`);
}

function definedEntries(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** A value as a message may show it: strings quoted with any password hidden. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactUrl(value));
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  return Array.isArray(value) ? 'an array' : `an object (${Object.keys(value).join(', ') || 'empty'})`;
}
