/** What stands in for a password wherever rtsp-rx prints a URL. */
export const REDACTED = '***';

/**
 * Returns the URL with its password replaced by `***`, fit for logs and messages.
 * Text that does not parse as a URL is returned with anything between `//` and `@` hidden.
 *
 * @example
 * ```ts
 * redactUrl('rtsp://admin:hunter2@127.0.0.1:8554/cam'); // 'rtsp://admin:***@127.0.0.1:8554/cam'
 * ```
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return url;
    parsed.password = REDACTED;
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, `//${REDACTED}@`);
  }
}

/**
 * Builds a function that removes the URL's password, in its raw and its decoded spelling,
 * from any text: for messages that a capture source wrote with the URL in them.
 */
export function secretScrubber(url: string): (text: string) => string {
  const secrets = passwordSpellings(url);
  if (secrets.length === 0) return (text) => text;
  return (text) => secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join(REDACTED), text);
}

function passwordSpellings(url: string): string[] {
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    return [];
  }
  if (raw === '') return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape leaves only the raw spelling to hide.
  }
  return [...new Set([raw, decoded])];
}
