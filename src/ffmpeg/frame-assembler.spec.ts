import { describe, expect, it } from 'vitest';
import { copyInto, type ReadTarget } from '../capture/read-target.js';
import { jpegPictures, rawPictures } from './frame-assembler.js';

/** Feeds bytes as a socket would, at most `chunk` at a time. */
function feed(target: ReadTarget, bytes: number[], chunk: number): void {
  for (let offset = 0; offset < bytes.length; offset += chunk) copyInto(target, Buffer.from(bytes.slice(offset, offset + chunk)));
}

describe('rawPictures', () => {
  it('reads each picture into a slot of its own, never across two pictures', () => {
    const pictures: Buffer[] = [];
    const frames = rawPictures(4, (picture) => pictures.push(picture));
    feed(frames, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 3);
    expect(pictures.map((picture) => [...picture])).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(new Set(pictures.map((picture) => picture.buffer)).size).toBe(3);
  });

  it('reads into a picture that was never handed out again, and never into one that was', () => {
    const pictures: Buffer[] = [];
    const frames = rawPictures(2, (picture) => pictures.push(picture));
    feed(frames, [1, 2], 2);
    const [dropped] = pictures;
    frames.recycle(dropped!);
    feed(frames, [3, 4], 2);
    expect(pictures[1]).toBe(dropped);
    const [kept] = pictures.splice(0);
    feed(frames, [5, 6, 7, 8], 2);
    expect([...kept!]).toEqual([3, 4]);
    expect(pictures.every((picture) => picture !== kept)).toBe(true);
  });
});

describe('jpegPictures', () => {
  it('splits at each end-of-image marker, across reads and growth of its buffer', () => {
    const pictures: Buffer[] = [];
    const frames = jpegPictures((picture) => pictures.push(picture));
    const big = [0xff, 0xd8, ...Array.from({ length: 3 << 20 }, (_, index) => index % 0xff), 0xff, 0xd9];
    feed(frames, [0xff, 0xd8, 1, 0xff, 0x00, 0xff, 0xd9, ...big, 0xff, 0xd8, 2], 65_536);
    expect(pictures.map((picture) => picture.length)).toEqual([7, big.length]);
    expect([...pictures[0]!]).toEqual([0xff, 0xd8, 1, 0xff, 0x00, 0xff, 0xd9]);
    expect(pictures[1]!.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });
});
