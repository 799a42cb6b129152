import { debuglog } from 'node:util';
import { match } from 'ts-pattern';
import { describeState, type ConnectionState } from './connection-state.js';

/**
 * Where rtsp-rx writes its log: any object with these four methods, such as `console`, a pino
 * logger or NestJS's `Logger`. Lines never contain credentials.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug: () => {}, info: console.info, warn: console.warn, error: console.error };
 * ```
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const nodeDebug = debuglog('rtsp-rx');

/**
 * The default: silent unless `NODE_DEBUG=rtsp-rx`, then everything to stderr through Node's
 * `util.debuglog`, each line with its level.
 *
 * @example
 * ```ts
 * // NODE_DEBUG=rtsp-rx node app.js
 * debugLogger.info('shown only under NODE_DEBUG=rtsp-rx');
 * ```
 */
export const debugLogger: Logger = {
  debug: (message) => nodeDebug('debug %s', message),
  info: (message) => nodeDebug('info %s', message),
  warn: (message) => nodeDebug('warn %s', message),
  error: (message) => nodeDebug('error %s', message),
};

/**
 * Logs a connection's change of state, one line at the level it deserves: the same lines for
 * every API. `redacted` is the camera's URL without its password.
 *
 * @example
 * ```ts
 * logState(console, { status: 'connecting', attempt: 2 }, 'rtsp://admin:***@127.0.0.1/cam');
 * // console.debug('connecting (reconnect #2): rtsp://admin:***@127.0.0.1/cam')
 * ```
 */
export function logState(logger: Logger, state: ConnectionState, redacted: string): void {
  const line = describeState(state);
  match(state)
    .with({ status: 'connecting' }, () => logger.debug(`${line}: ${redacted}`))
    .with({ status: 'connected' }, () => logger.info(`${line}: ${redacted}`))
    .with({ status: 'reconnecting' }, ({ cause }) => logger.warn(`${line}: ${cause.message}`))
    .with({ status: 'failed' }, ({ cause }) => logger.error(`${line}: giving up on ${redacted}: ${cause.message}`))
    .with({ status: 'closed' }, () => logger.info(`the stream ended: ${redacted}`))
    .exhaustive();
}
