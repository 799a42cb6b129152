import type { CapturedFrame, CaptureEvent, PixelFormat } from '../capture-source.js';
import type { RtspErrorCode } from '../errors.js';
import type { ReadTarget } from '../capture/read-target.js';

/**
 * The framed protocol on the capture process's frame pipe. Every message is
 * `[u32 body length][u8 kind][body]`, little-endian. A `frame` body is a fixed header, then the
 * pixels; any other message is UTF-8 JSON.
 */
export type CaptureMessage = CaptureEvent | { readonly type: 'failed'; readonly code: RtspErrorCode; readonly message: string };

/** What the application sends the capture process, one JSON line each, on its stdin. */
export type ControlMessage = { readonly type: 'credit'; readonly frames: number };

const KIND_JSON = 0;
const KIND_FRAME = 1;
const PREFIX = 5;
/** width u16, height u16, channels u8, format u8, dropped u32, capturedAt f64. */
const FRAME_HEADER = 18;
const FORMATS: readonly PixelFormat[] = ['bgr', 'rgb', 'gray', 'jpeg', 'yuv420p'];

/** Encodes a frame as one message: a header and the pixels, in two buffers to write in turn. */
export function encodeFrame(frame: Omit<CapturedFrame, 'data'>, pixels: Buffer): [Buffer, Buffer] {
  const head = Buffer.allocUnsafe(PREFIX + FRAME_HEADER);
  head.writeUInt32LE(FRAME_HEADER + pixels.length, 0);
  head.writeUInt8(KIND_FRAME, 4);
  head.writeUInt16LE(frame.width, 5);
  head.writeUInt16LE(frame.height, 7);
  head.writeUInt8(frame.channels, 9);
  head.writeUInt8(FORMATS.indexOf(frame.pixelFormat), 10);
  head.writeUInt32LE(frame.dropped ?? 0, 11);
  head.writeDoubleLE(frame.capturedAt, 15);
  return [head, pixels];
}

/** Encodes any message but a frame. */
export function encodeJson(message: Exclude<CaptureMessage, { type: 'frame' }>): Buffer {
  const body = Buffer.from(JSON.stringify(message));
  const head = Buffer.allocUnsafe(PREFIX);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt8(KIND_JSON, 4);
  return Buffer.concat([head, body]);
}

/**
 * Turns the pipe's bytes back into messages, as a {@link ReadTarget}: the socket reads each
 * message's length prefix into a small buffer of the decoder's, then the body straight into
 * a buffer of its own, as large as the body. A frame's pixels are thus plain GC-managed
 * memory that nothing else references, and no read allocates or copies anything.
 */
export class MessageDecoder implements ReadTarget {
  private readonly prefix = Buffer.alloc(PREFIX);
  private prefixFilled = 0;
  private body: Buffer | undefined;
  private bodyFilled = 0;

  constructor(private readonly onMessage: (message: CaptureMessage) => void) {}

  space(): Uint8Array {
    return this.body === undefined ? this.prefix.subarray(this.prefixFilled) : this.body.subarray(this.bodyFilled);
  }

  received(bytes: number): void {
    if (this.body === undefined) {
      this.prefixFilled += bytes;
      if (this.prefixFilled < PREFIX) return;
      this.body = Buffer.allocUnsafeSlow(this.prefix.readUInt32LE(0));
      this.bodyFilled = 0;
      if (this.body.length > 0) return;
    } else {
      this.bodyFilled += bytes;
      if (this.bodyFilled < this.body.length) return;
    }
    const body = this.body;
    this.body = undefined;
    this.prefixFilled = 0;
    this.onMessage(this.prefix.readUInt8(4) === KIND_FRAME ? decodeFrame(body) : (JSON.parse(body.toString('utf8')) as CaptureMessage));
  }
}

function decodeFrame(body: Buffer): CaptureMessage {
  const pixelFormat = FORMATS[body.readUInt8(5)];
  if (pixelFormat === undefined) throw new RangeError(`unknown pixel format ${body.readUInt8(5)} in a frame message`);
  const dropped = body.readUInt32LE(6);
  return {
    type: 'frame',
    frame: {
      width: body.readUInt16LE(0),
      height: body.readUInt16LE(2),
      channels: body.readUInt8(4),
      pixelFormat,
      capturedAt: body.readDoubleLE(10),
      data: body.subarray(FRAME_HEADER),
      ...(dropped > 0 ? { dropped } : {}),
    },
  };
}
