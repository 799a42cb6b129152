import type { CapturedFrame } from '../capture-source.js';

/**
 * Keep in step with rtsp-camera.py: 4 rows of 22 blocks, one block in from the top left
 * corner, a block being 1/24 of the width, so the layout is the same at any scale.
 */
const COLUMNS = 22;
const BITS = 88;
const BLOCKS_PER_WIDTH = 24;
/** Added to the byte sum, so that a blank picture (all zeros) is no valid stamp. */
const CHECKSUM_SALT = 0x5a;

/**
 * What the camera simulator drew on a frame.
 *
 * @example
 * ```ts
 * const stamp: Stamp = { index: 250, sentAt: 1767225610000 }; // the 251st frame, sent 10 s after the first
 * ```
 */
export interface Stamp {
  /** The frame's number, from 0, counted by the simulator's encoder. */
  readonly index: number;
  /** When the simulator sent the frame, in ms since the epoch. */
  readonly sentAt: number;
}

/**
 * Reads the stamp that `startTestCamera` drew on a frame, from its pixels alone: the frame's
 * index and the time it was sent. So a frame's age can be told whatever decoded it. Works on
 * BGR, RGB and gray frames at any scale that keeps the aspect ratio. Returns `undefined` when
 * the checksum does not match (a picture the encoder smeared, or one from another camera).
 *
 * @example
 * ```ts
 * const stamp = readStamp(frame);
 * if (stamp) console.log(`frame ${stamp.index}, ${frame.capturedAt - stamp.sentAt} ms old`);
 * // frame 1042, 203 ms old
 * ```
 */
export function readStamp(frame: Pick<CapturedFrame, 'data' | 'width' | 'height' | 'channels'>): Stamp | undefined {
  const block = frame.width / BLOCKS_PER_WIDTH;
  const bytes = new Uint8Array(BITS / 8);
  for (let bit = 0; bit < BITS; bit++) {
    const row = Math.floor(bit / COLUMNS);
    const column = bit % COLUMNS;
    const brightness = meanBrightness(frame, block * (column + 1.5), block * (row + 1.5), Math.max(1, Math.floor(block / 4)));
    if (brightness > 128) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  const payload = bytes.subarray(0, 10);
  if (((payload.reduce((sum, byte) => sum + byte, 0) + CHECKSUM_SALT) & 0xff) !== bytes[10]) return undefined;
  const index = Buffer.from(payload).readUInt32BE(0);
  const sentAt = Buffer.from(payload).readUIntBE(4, 6);
  return { index, sentAt };
}

/** The mean over a square of side 2 * `radius` around (x, y), all channels together. */
function meanBrightness(frame: Pick<CapturedFrame, 'data' | 'width' | 'channels'>, x: number, y: number, radius: number): number {
  let sum = 0;
  let count = 0;
  for (let row = Math.round(y - radius); row < Math.round(y + radius); row++) {
    for (let column = Math.round(x - radius); column < Math.round(x + radius); column++) {
      const offset = (row * frame.width + column) * frame.channels;
      for (let channel = 0; channel < frame.channels; channel++) sum += frame.data[offset + channel]!;
      count += frame.channels;
    }
  }
  return sum / count;
}
