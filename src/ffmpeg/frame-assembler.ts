import type { ReadTarget } from '../capture/read-target.js';

/**
 * Turns ffmpeg's output stream back into pictures, reading into memory it owns: `space()`
 * says where the next bytes go, `received()` how many came, and hands out every picture
 * they completed.
 */
export interface FrameAssembler extends ReadTarget {
  /** Takes back a picture that was never handed out (a newer one replaced it), to read into again. */
  recycle(picture: Buffer): void;
}

/**
 * Raw pictures of a fixed size, each read into a slot of its own: the socket reads straight
 * into the slot, and a read never spans two pictures. A completed slot goes to `onPicture`
 * and, if handed out, belongs to whoever received it: it is never written again. A slot that
 * was not handed out comes back through `recycle`, so that pictures nobody takes cost no
 * memory.
 *
 * @example
 * ```ts
 * const frames = rawPictures(4, (picture) => console.log([...picture]));
 * frames.space().set([1, 2, 3]); frames.received(3);
 * frames.space().set([4, 5, 6]); frames.received(1);
 * // [ 1, 2, 3, 4 ]
 * frames.space().length; // 4: the rest (5, 6) was never read, for the next read starts a new slot
 * ```
 */
export function rawPictures(pictureBytes: number, onPicture: (picture: Buffer) => void): FrameAssembler {
  let slot: Buffer | undefined;
  let spare: Buffer | undefined;
  let filled = 0;
  return {
    space() {
      slot ??= spare ?? Buffer.allocUnsafeSlow(pictureBytes);
      if (slot === spare) spare = undefined;
      return slot.subarray(filled);
    },
    received(bytes) {
      filled += bytes;
      if (slot === undefined || filled < pictureBytes) return;
      const picture = slot;
      slot = undefined;
      filled = 0;
      onPicture(picture);
    },
    recycle(picture) {
      // One spare is all a reader of the newest picture ever needs; a detached one is useless.
      if (picture.length === pictureBytes && picture.buffer.byteLength > 0) spare = picture;
    },
  };
}

/**
 * JPEG pictures, one after the other, each ending with the EOI marker (FF D9), which the
 * entropy-coded data never holds (an FF there is followed by 00 or a restart marker). Each
 * picture is copied out of the read buffer into one of its own, as large as the picture.
 *
 * @example
 * ```ts
 * const frames = jpegPictures((picture) => console.log(picture.toString('hex')));
 * frames.space().set([0xff, 0xd8, 0x01, 0xff, 0xd9, 0xff]); frames.received(6);
 * // ffd801ffd9
 * ```
 */
export function jpegPictures(onPicture: (picture: Buffer) => void): FrameAssembler {
  let buffer = Buffer.allocUnsafeSlow(1 << 20);
  let filled = 0;
  let scanned = 0;
  return {
    space() {
      if (filled === buffer.length) {
        const larger = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(larger, 0, 0, filled);
        buffer = larger;
      }
      return buffer.subarray(filled);
    },
    received(bytes) {
      filled += bytes;
      for (;;) {
        const end = buffer.subarray(0, filled).indexOf(EOI, Math.max(0, scanned - 1));
        if (end < 0) {
          scanned = filled;
          return;
        }
        const picture = Buffer.from(buffer.subarray(0, end + EOI.length));
        buffer.copy(buffer, 0, end + EOI.length, filled);
        filled -= end + EOI.length;
        scanned = 0;
        onPicture(picture);
      }
    },
    recycle: () => undefined,
  };
}

const EOI = Buffer.from([0xff, 0xd9]);
