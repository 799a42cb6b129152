import type { ConnectionState } from './connection-state.js';
import type { RtspError, RtspErrorCode } from './errors.js';

/** Why a connection dropped or gave up, as plain JSON. */
interface CauseMessage {
  readonly code: RtspErrorCode;
  readonly message: string;
}

/** A state with its cause, if it has one, reduced to {@link CauseMessage}. */
type WithCauseMessage<State> = State extends { readonly cause: RtspError } ? Omit<State, 'cause'> & { readonly cause: CauseMessage } : State;

/**
 * A {@link ConnectionState} as plain JSON, for a wire (Server-Sent Events, WebSocket) and for
 * the browser code that reads it: the cause is its code and message, never an Error object.
 *
 * @example
 * ```ts
 * const message: ConnectionStateMessage = JSON.parse(event.data);
 * if (message.status === 'reconnecting') show(`${message.cause.code}, retry in ${message.delay} ms`);
 * ```
 */
export type ConnectionStateMessage = WithCauseMessage<ConnectionState>;

/**
 * Turns a state into its {@link ConnectionStateMessage}. Error messages are already free of
 * credentials, so the result is safe to send to a browser.
 *
 * @example
 * ```ts
 * connection$.pipe(map((state) => ({ data: connectionStateMessage(state) })));
 * // { data: { status: 'reconnecting', attempt: 1, delay: 1000, cause: { code: 'STALLED', message: 'no frame for 5000 ms' } } }
 * ```
 */
export function connectionStateMessage(state: ConnectionState): ConnectionStateMessage {
  if (!('cause' in state)) return state;
  const { code, message } = state.cause;
  return { ...state, cause: { code, message } };
}
