import { match } from 'ts-pattern';
import type { StreamInfo } from './capture-source.js';
import type { ConnectionState } from './connection-state.js';
import type { RtspErrorCode } from './errors.js';

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
export type ConnectionStateMessage =
  | { readonly status: 'connecting'; readonly attempt: number }
  | { readonly status: 'connected'; readonly since: number; readonly info: StreamInfo }
  | { readonly status: 'reconnecting'; readonly attempt: number; readonly delay: number; readonly cause: CauseMessage }
  | { readonly status: 'failed'; readonly attempts: number; readonly cause: CauseMessage }
  | { readonly status: 'closed' };

/** Why a connection dropped or gave up, as plain JSON. */
interface CauseMessage {
  readonly code: RtspErrorCode;
  readonly message: string;
}

/**
 * Turns a state into its {@link ConnectionStateMessage}. Error messages are already free of
 * credentials, so the result is safe to send to a browser.
 *
 * @example
 * ```ts
 * connection$.pipe(map((state) => ({ data: connectionStateMessage(state) })));
 * ```
 */
export function connectionStateMessage(state: ConnectionState): ConnectionStateMessage {
  return match(state)
    .returnType<ConnectionStateMessage>()
    .with({ status: 'connecting' }, ({ attempt }) => ({ status: 'connecting', attempt }))
    .with({ status: 'connected' }, ({ since, info }) => ({ status: 'connected', since, info }))
    .with({ status: 'reconnecting' }, ({ attempt, delay, cause }) => ({ status: 'reconnecting', attempt, delay, cause: { code: cause.code, message: cause.message } }))
    .with({ status: 'failed' }, ({ attempts, cause }) => ({ status: 'failed', attempts, cause: { code: cause.code, message: cause.message } }))
    .with({ status: 'closed' }, () => ({ status: 'closed' }))
    .exhaustive();
}
