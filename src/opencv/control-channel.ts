import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { CaptureSettings } from './capture-settings.js';
import type { ControlMessage } from './frame-protocol.js';

/**
 * The capture process's side of its control channel: the settings as the first JSON line,
 * then one credit message a line, for as long as the capture lives.
 */
export interface ControlChannel {
  /** The first line; `undefined` when the channel closed before it came. */
  readonly settings: Promise<CaptureSettings | undefined>;
  /**
   * Hands every credit message to `grant`, starting with the frames granted before it was
   * called (while the capture opened), so that none is lost.
   */
  onCredit(grant: (frames: number) => void): void;
}

/**
 * Reads the control channel through one `'line'` listener for its whole life. An async
 * iterator over the same lines must never be used here: once nobody reads it, it buffers every
 * later line and pauses the input after 1,024 of them, and the credit stops arriving.
 *
 * @example
 * ```ts
 * const channel = openControlChannel(process.stdin, () => process.exit(0));
 * const settings = await channel.settings;
 * channel.onCredit((frames) => reader.grant(frames));
 * ```
 */
export function openControlChannel(input: Readable, onClose: () => void): ControlChannel {
  let resolveSettings: (settings: CaptureSettings | undefined) => void = () => undefined;
  const settings = new Promise<CaptureSettings | undefined>((resolve) => (resolveSettings = resolve));
  let received = false;
  let pending = 0;
  let grant: ((frames: number) => void) | undefined;

  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!received) {
      received = true;
      resolveSettings(JSON.parse(line) as CaptureSettings);
      return;
    }
    const { frames } = JSON.parse(line) as ControlMessage;
    if (grant === undefined) pending += frames;
    else grant(frames);
  });
  lines.on('close', () => {
    resolveSettings(undefined);
    onClose();
  });

  return {
    settings,
    onCredit(handler) {
      grant = handler;
      if (pending > 0) handler(pending);
      pending = 0;
    },
  };
}
