import type { ConnectionState, RtspConnectionOptions, RtspError, RtspErrorCode, StreamInfo } from '../src/index.js';

/** The stream info every scripted `o` (opened) event carries. */
export const INFO: StreamInfo = { width: 4, height: 3, fps: 25, codec: 'h264' };

type CauseByCode<State> = State extends { readonly cause: RtspError } ? Omit<State, 'cause'> & { readonly cause: RtspErrorCode } : State;

/** A connection state as a marble expects it: causes by their code. */
export type ExpectedState = CauseByCode<ConnectionState>;

/** An error as a marble expects it. */
export interface ExpectedError {
  readonly code: RtspErrorCode;
  readonly attempts?: number;
  readonly cause?: RtspErrorCode;
}

/**
 * One attempt's timeline, cold from the attempt's start: `o` opens, `h` is a heartbeat for a
 * picture nobody wanted, `r` one for a picture a rate cap held back, any other letter is a
 * frame carrying that letter, `#` fails with `error` (default `ECONNREFUSED`), `|` ends.
 */
export type AttemptTimeline = string | { readonly timeline: string; readonly error: RtspErrorCode };

/** Which stream of the connection a subscriber watches. */
export type WatchedStream =
  /** `rtspConnection(...).frames$`, shared. */
  | 'frames$'
  /** `rtspConnection(...).connection$`, shared, replays the current state. */
  | 'connection$'
  /** `rtspConnection(...).latest$`, shared, replays the newest frame. */
  | 'latest$'
  /** `rtspFrames$(...)`, cold: a connection of its own per subscriber. */
  | 'rtspFrames$';

export interface Subscriber {
  readonly stream: WatchedStream;
  /** `^` subscribes, `!` unsubscribes. Default: subscribed from the start, never leaving. */
  readonly subscription?: string;
  /** Frames by their letter; states by their letter in `states`; `#` is `error`. */
  readonly expected: string;
  readonly error?: ExpectedError;
}

/** A behaviour of rtsp-rx, as a picture in virtual time (one character is one millisecond). */
export interface MarbleScenario {
  readonly title: string;
  /** Why rtsp-rx behaves this way. */
  readonly why: string;
  readonly options?: Omit<RtspConnectionOptions, 'source' | 'demand$'>;
  /** Whether frames are wanted, hot from the start: `t` yes, `f` no. Default: always. */
  readonly demand?: string;
  /** What the capture source does on each attempt, in order. */
  readonly attempts: readonly AttemptTimeline[];
  /** The meaning of each letter in the expected `connection$` timelines. */
  readonly states?: Readonly<Record<string, ExpectedState>>;
  readonly subscribers: readonly Subscriber[];
  /** For each attempt, when rtsp-rx subscribed to it (`^`) and released it (`!`). */
  readonly sourceSubscriptions: readonly string[];
}

export const scenario = (definition: MarbleScenario): MarbleScenario => definition;

export const connecting = (attempt: number): ExpectedState => ({ status: 'connecting', attempt });
export const connected = (since: number, info: StreamInfo = INFO): ExpectedState => ({ status: 'connected', since, info });
export const reconnecting = (attempt: number, delay: number, cause: RtspErrorCode): ExpectedState => ({ status: 'reconnecting', attempt, delay, cause });
export const failed = (attempts: number, cause: RtspErrorCode, reason: 'exhausted' | 'permanent' = 'exhausted'): ExpectedState => ({ status: 'failed', attempts, cause, reason });
export const closed: ExpectedState = { status: 'closed' };
export const exhausted = (attempts: number, cause: RtspErrorCode): ExpectedError => ({ code: 'RECONNECT_EXHAUSTED', attempts, cause });
