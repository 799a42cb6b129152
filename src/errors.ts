/**
 * Every {@link RtspErrorCode}, in one place: the type is derived from it.
 *
 * @example
 * ```ts
 * RTSP_ERROR_CODES.includes('STALLED'); // true
 * ```
 */
export const RTSP_ERROR_CODES = [
  /** Nothing listens at the camera's address. */
  'ECONNREFUSED',
  /** The camera or the network dropped an open stream. */
  'ECONNRESET',
  /** The stream opened but no frame came for `stallTimeout`. */
  'STALLED',
  /** The camera did not open within `openTimeout`. */
  'OPEN_TIMEOUT',
  /** The camera refused the credentials (RTSP 401). */
  'UNAUTHORIZED',
  /** The camera has no stream at that path (RTSP 404). */
  'NOT_FOUND',
  /** The camera refused the RTP transport asked for (RTSP 461), such as RTP over TCP. */
  'UNSUPPORTED_TRANSPORT',
  /** The capture source cannot run at all here, such as a missing or broken native addon. */
  'CAPTURE_UNAVAILABLE',
  /** The camera ended the stream. */
  'ENDED',
  /** The stream changed in a way the capture cannot follow (a new resolution); reconnecting picks up the new format. */
  'STREAM_CHANGED',
  /** The capture failed for a reason it could not name. */
  'CAPTURE_ERROR',
  /** The process doing the capture died (killed, or crashed in native code). */
  'CAPTURE_CRASHED',
  /** Every allowed reconnect attempt failed. */
  'RECONNECT_EXHAUSTED',
] as const;

/**
 * Stable reasons a connection attempt ends (see {@link RTSP_ERROR_CODES} for each one's
 * meaning). Codes never change meaning between releases; messages may.
 *
 * @example
 * ```ts
 * const permanent = (code: RtspErrorCode) => code === 'UNAUTHORIZED' || code === 'NOT_FOUND';
 * ```
 */
export type RtspErrorCode = (typeof RTSP_ERROR_CODES)[number];

const isRtspErrorCode = (code: unknown): code is RtspErrorCode => (RTSP_ERROR_CODES as readonly unknown[]).includes(code);

/**
 * Causes that trying again cannot cure: the same URL, credentials and machine get the same
 * answer. rtsp-rx gives up on them at once unless `retryOnPermanentError` is set.
 *
 * @example
 * ```ts
 * if (PERMANENT_ERROR_CODES.has(error.code)) alert(`check the camera's settings: ${error.message}`);
 * ```
 */
export const PERMANENT_ERROR_CODES: ReadonlySet<RtspErrorCode> = new Set<RtspErrorCode>(['UNAUTHORIZED', 'NOT_FOUND', 'UNSUPPORTED_TRANSPORT', 'CAPTURE_UNAVAILABLE']);

/**
 * Why a connection attempt ended, with a stable {@link RtspErrorCode}. Messages never contain
 * credentials.
 *
 * @example
 * ```ts
 * frames$.subscribe({ error: (e) => e instanceof RtspError && console.log(e.code) }); // 'UNAUTHORIZED'
 * ```
 */
export class RtspError extends Error {
  override name = 'RtspError';

  constructor(
    readonly code: RtspErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The error `rtspFrames$` ends with when `maxReconnectAttempts` reconnect attempts in a row
 * have failed. `cause` is the last attempt's error.
 *
 * @example
 * ```ts
 * rtspFrames$(url, { source, maxReconnectAttempts: 5 }).subscribe({
 *   error: (e) => e instanceof ReconnectExhaustedError && console.error(`gave up after ${e.attempts}: ${e.cause.code}`), // gave up after 5: ECONNREFUSED
 * });
 * ```
 */
export class ReconnectExhaustedError extends RtspError {
  override name = 'ReconnectExhaustedError';
  declare readonly cause: RtspError;

  constructor(
    readonly attempts: number,
    cause: RtspError,
  ) {
    super('RECONNECT_EXHAUSTED', `gave up after ${attempts} reconnect attempt(s): ${cause.message}`, { cause });
  }
}

/**
 * Turns whatever a capture source threw into an {@link RtspError}, keeping a known `code` and
 * passing the message through `scrub` so that no credential survives in it.
 */
export function toRtspError(thrown: unknown, scrub: (text: string) => string): RtspError {
  const message = scrub(thrown instanceof Error ? thrown.message : String(thrown));
  if (thrown instanceof RtspError && message === thrown.message) return thrown;
  const code = (thrown as { code?: unknown } | null)?.code;
  return new RtspError(isRtspErrorCode(code) ? code : 'CAPTURE_ERROR', message);
}
