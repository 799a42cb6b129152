/**
 * Memory a socket reads into (`space()`), and what becomes of the bytes that came
 * (`received()`): for a reader that allocates nothing per read and copies nothing on the way.
 */
export interface ReadTarget {
  /** Where the socket reads next. */
  space(): Uint8Array;
  /** Counts the bytes just read into the last space given. */
  received(bytes: number): void;
}

/**
 * Hands a chunk read elsewhere to a target, copied into its spaces: for bytes that did not
 * arrive where the target wanted them (a socket's first read, tests).
 *
 * @example
 * ```ts
 * copyInto(rawPictures(4, (picture) => console.log([...picture])), Buffer.from([1, 2, 3, 4, 5]));
 * // [ 1, 2, 3, 4 ]   (5 waits in the next picture's slot)
 * ```
 */
export function copyInto(target: ReadTarget, chunk: Uint8Array): void {
  for (let offset = 0; offset < chunk.length; ) {
    const space = target.space();
    const taken = Math.min(space.length, chunk.length - offset);
    space.set(chunk.subarray(offset, offset + taken));
    target.received(taken);
    offset += taken;
  }
}
