import { debuglog } from 'node:util';

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
 * `util.debuglog`.
 *
 * @example
 * ```ts
 * // NODE_DEBUG=rtsp-rx node app.js
 * debugLogger.info('shown only under NODE_DEBUG=rtsp-rx');
 * ```
 */
export const debugLogger: Logger = {
  debug: (message) => nodeDebug('%s', message),
  info: (message) => nodeDebug('%s', message),
  warn: (message) => nodeDebug('%s', message),
  error: (message) => nodeDebug('%s', message),
};
