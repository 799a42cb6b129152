/** What stands in for a password wherever rtsp-rx prints a URL. */
export const REDACTED = '***';

/**
 * A camera's address, parsed and checked once and passed down: the URL to open, the form fit
 * for logs, and what hides its password in any text a capture source writes.
 *
 * @example
 * ```ts
 * const address: CameraAddress = cameraAddress('rtspFrames$', 'rtsp://admin:hunter2@127.0.0.1/cam');
 * address.redacted; // 'rtsp://admin:***@127.0.0.1/cam'
 * address.scrub('401 for rtsp://admin:hunter2@127.0.0.1/cam'); // '401 for rtsp://admin:***@127.0.0.1/cam'
 * ```
 */
export interface CameraAddress {
  /** The URL to open, credentials included: never log it as it is. */
  readonly url: string;
  /** The URL with its password replaced by `***`. */
  readonly redacted: string;
  /** Replaces the password, raw or percent-decoded, wherever it stands as a word of its own. */
  readonly scrub: (text: string) => string;
}

/**
 * Parses and checks a camera URL once. `credentials`, when given, replace any in the URL and
 * need no percent-encoding.
 *
 * @throws TypeError when `url` is not an `rtsp://` or `rtsps://` URL, or when it holds a
 * password with reserved characters written raw, which would be read as part of the address.
 *
 * @example
 * ```ts
 * cameraAddress('RtspStream', 'rtsp://127.0.0.1/cam', { username: 'admin', password: 'p@ss#w:rd' }).redacted;
 * // 'rtsp://admin:***@127.0.0.1/cam'
 * cameraAddress('rtspFrames$', 'rtsp://u:p@ss#w:rd@127.0.0.1/cam');
 * // TypeError: rtsp-rx: rtspFrames$: url does not parse as an address with credentials: a password with reserved characters ...
 * ```
 */
export function cameraAddress(context: string, url: unknown, credentials?: { readonly username: string; readonly password: string }): CameraAddress {
  const parsed = parseRtspUrl(context, url);
  if (credentials !== undefined) {
    parsed.username = encodeURIComponent(credentials.username);
    parsed.password = encodeURIComponent(credentials.password);
  }
  const href = credentials === undefined ? (url as string) : parsed.href;
  return { url: href, redacted: redactUrl(href), scrub: scrubber(passwordSpellings(parsed.password)) };
}

function parseRtspUrl(context: string, url: unknown): URL {
  if (typeof url !== 'string') throw new TypeError(`rtsp-rx: ${context}: url must be a string; got ${url === null ? 'null' : typeof url}`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Reported below.
  }
  // The address ends at the first / ? or #: one written raw in a password cuts it there, and
  // the rest of the password becomes a host, a port or, after a #, a fragment (which RTSP
  // never sends).
  if (url.includes('@') && (parsed === undefined || parsed.hash !== '')) {
    throw new TypeError(
      `rtsp-rx: ${context}: url does not parse as an address with credentials: a password with reserved characters (# ? / @ :) must be percent-encoded (encodeURIComponent), or given in the credentials option of RtspStream; got ${JSON.stringify(redactUrl(url))}`,
    );
  }
  if (parsed === undefined || (parsed.protocol !== 'rtsp:' && parsed.protocol !== 'rtsps:')) {
    throw new TypeError(`rtsp-rx: ${context}: url must be an rtsp:// or rtsps:// URL; got ${JSON.stringify(redactUrl(url))}`);
  }
  if (parsed.hash !== '') throw new TypeError(`rtsp-rx: ${context}: url must have no #fragment, which RTSP never sends; got ${JSON.stringify(url)}`);
  return parsed;
}

/**
 * Returns the URL with its password replaced by `***`, fit for logs and messages.
 * Text that does not parse as a URL is returned with anything between `//` and the last `@`
 * hidden.
 *
 * @example
 * ```ts
 * redactUrl('rtsp://admin:hunter2@127.0.0.1:8554/cam'); // 'rtsp://admin:***@127.0.0.1:8554/cam'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '' && parsed.hash === '') return url;
    // A fragment in a camera URL is a password cut short by a raw #: hide it as well.
    parsed.hash = '';
    if (parsed.password !== '') parsed.password = REDACTED;
    return parsed.href;
  } catch {
    return url.replace(/\/\/.*@/s, `//${REDACTED}@`);
  }
}

function passwordSpellings(raw: string): string[] {
  if (raw === '') return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape leaves only the raw spelling to hide.
  }
  return [...new Set([raw, decoded])];
}

/** Hides each secret where it stands as a word of its own: never a fragment of another word. */
function scrubber(secrets: readonly string[]): (text: string) => string {
  if (secrets.length === 0) return (text) => text;
  const escaped = secrets.map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return (text) => text.replace(pattern, REDACTED);
}
