import { match } from 'ts-pattern';
import { reconnectDelay } from './backoff.js';
import type { StreamInfo } from './capture-source.js';
import { PERMANENT_ERROR_CODES, ReconnectExhaustedError, type RtspError } from './errors.js';
import type { ReconnectOptions } from './options.js';

/**
 * Where a connection stands. Every change is one value of `connection$`.
 *
 * - `connecting`: an attempt is under way; `attempt` is 0 for the first, then the reconnect's number.
 * - `connected`: the stream is open since `since`: ms since the epoch by the scheduler's
 *   `now()` (the wall clock unless you pass a scheduler of your own), as are all delays.
 * - `reconnecting`: the last attempt ended with `cause`; attempt `attempt` starts in `delay` ms.
 * - `failed`: rtsp-rx gave up after `attempts` reconnect attempts in a row, the last with
 *   `cause`: because `maxReconnectAttempts` were spent (`reason: 'exhausted'`), or because
 *   `cause` is one that no retry can cure (`reason: 'permanent'`). No more follow.
 * - `closed`: the stream ended, or the camera was released.
 *
 * @example
 * ```ts
 * connection$.subscribe((state) => {
 *   if (state.status === 'reconnecting') console.warn(`${state.cause.code}: retry #${state.attempt} in ${state.delay} ms`);
 * });
 * ```
 */
export type ConnectionState =
  | { readonly status: 'connecting'; readonly attempt: number }
  | { readonly status: 'connected'; readonly since: number; readonly info: StreamInfo }
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly delay: number; readonly cause: RtspError }
  | { readonly status: 'failed'; readonly attempts: number; readonly cause: RtspError; readonly reason: 'exhausted' | 'permanent' }
  | { readonly status: 'closed' };

/**
 * The state before a connection is opened and after it is released.
 *
 * @example
 * ```ts
 * let state: ConnectionState = CLOSED;
 * ```
 */
export const CLOSED: ConnectionState = Object.freeze({ status: 'closed' });

/** What happens to a connection; the reducer turns these into {@link ConnectionState}s. */
export type ConnectionSignal =
  | { readonly type: 'attempt' }
  | { readonly type: 'opened'; readonly info: StreamInfo; readonly at: number }
  | { readonly type: 'frame' }
  | { readonly type: 'fault'; readonly cause: RtspError }
  | { readonly type: 'ended' };

/**
 * The state together with the number of the attempt under way, which a delivered frame resets
 * to 0: a connection that worked is no longer part of a run of failures.
 */
export interface ConnectionMachine {
  readonly state: ConnectionState;
  readonly attempt: number;
}

export const INITIAL_MACHINE: ConnectionMachine = Object.freeze({ state: CLOSED, attempt: 0 });

/**
 * The one place where a connection changes state. Returns the same machine when nothing
 * changes, so callers can tell a change by identity.
 */
export function nextConnection(
  machine: ConnectionMachine,
  signal: ConnectionSignal,
  policy: Required<ReconnectOptions>,
  random?: () => number,
): ConnectionMachine {
  return match(signal)
    .with({ type: 'attempt' }, () => ({ state: { status: 'connecting', attempt: machine.attempt } as const, attempt: machine.attempt }))
    .with({ type: 'opened' }, ({ info, at }) => ({
      state: {
        status: 'connected',
        since: machine.state.status === 'connected' ? machine.state.since : at,
        info,
      } as const,
      attempt: machine.attempt,
    }))
    .with({ type: 'frame' }, () => (machine.attempt === 0 ? machine : { state: machine.state, attempt: 0 }))
    .with({ type: 'fault' }, ({ cause }): ConnectionMachine => {
      const next = machine.attempt + 1;
      if (PERMANENT_ERROR_CODES.has(cause.code) && !policy.retryOnPermanentError) {
        return { state: { status: 'failed', attempts: machine.attempt, cause, reason: 'permanent' }, attempt: machine.attempt };
      }
      return next > policy.maxReconnectAttempts
        ? { state: { status: 'failed', attempts: machine.attempt, cause, reason: 'exhausted' }, attempt: machine.attempt }
        : { state: { status: 'reconnecting', attempt: next, delay: reconnectDelay(next, policy, random), cause }, attempt: next };
    })
    .with({ type: 'ended' }, () => ({ state: CLOSED, attempt: 0 }))
    .exhaustive();
}

/**
 * One line for a state, fit for a log: no credentials, causes by code.
 *
 * @example
 * ```ts
 * describeState({ status: 'connecting', attempt: 2 }); // 'connecting (reconnect #2)'
 * ```
 */
export function describeState(state: ConnectionState): string {
  return match(state)
    .with({ status: 'connecting' }, ({ attempt }) => (attempt === 0 ? 'connecting' : `connecting (reconnect #${attempt})`))
    .with({ status: 'connected' }, ({ info }) => `connected ${info.width}x${info.height}${info.fps === undefined ? '' : ` @ ${info.fps} fps`}${info.codec === undefined ? '' : ` ${info.codec}`}`)
    .with({ status: 'reconnecting' }, ({ attempt, delay, cause }) => `reconnecting: #${attempt} in ${delay} ms after ${cause.code}`)
    .with({ status: 'failed', reason: 'exhausted' }, ({ attempts, cause }) => `failed after ${attempts} reconnect attempt(s): ${cause.code}`)
    .with({ status: 'failed', reason: 'permanent' }, ({ cause }) => `failed: ${cause.code}, which no reconnect can cure`)
    .with({ status: 'closed' }, () => 'closed')
    .exhaustive();
}

/**
 * The error a connection ends with when it gives up: a `ReconnectExhaustedError` once the
 * reconnect attempts are spent, or the permanent cause itself.
 *
 * @example
 * ```ts
 * connection$.pipe(filter((state) => state.status === 'failed')).subscribe((state) => console.error(givingUpError(state).message));
 * // gave up after 10 reconnect attempt(s): connection refused
 * ```
 */
export function givingUpError(state: Extract<ConnectionState, { status: 'failed' }>): RtspError {
  return state.reason === 'permanent' ? state.cause : new ReconnectExhaustedError(state.attempts, state.cause);
}
