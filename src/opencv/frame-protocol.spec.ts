import { describe, expect, it } from 'vitest';
import { copyInto } from '../capture/read-target.js';
import { encodeFrame, encodeJson, MessageDecoder, type CaptureMessage } from './frame-protocol.js';

const pixels = Buffer.from(Array.from({ length: 4 * 3 * 3 }, (_, index) => index));
const frame = { width: 4, height: 3, channels: 3, pixelFormat: 'rgb' as const, capturedAt: 1_764_000_000_123.5, dropped: 7 };
const stream = Buffer.concat([
  encodeJson({ type: 'opened', info: { width: 4, height: 3, fps: 25, codec: 'h264' } }),
  ...encodeFrame(frame, pixels),
  ...encodeFrame({ ...frame, pixelFormat: 'gray', channels: 1, dropped: 0 }, pixels.subarray(0, 12)),
  encodeJson({ type: 'heartbeat', reason: 'rate-capped' }),
  encodeJson({ type: 'failed', code: 'ENDED', message: 'bye' }),
]);

function decodeInChunks(size: number): CaptureMessage[] {
  const messages: CaptureMessage[] = [];
  const decoder = new MessageDecoder((message) => messages.push(message));
  for (let offset = 0; offset < stream.length; offset += size) copyInto(decoder, stream.subarray(offset, offset + size));
  return messages;
}

describe('the capture pipe protocol', () => {
  it.each([1, 2, 5, 17, 64, stream.length])('decodes what was encoded, split into chunks of %i bytes', (size) => {
    const messages = decodeInChunks(size);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toEqual({ type: 'opened', info: { width: 4, height: 3, fps: 25, codec: 'h264' } });
    expect(messages[1]).toEqual({ type: 'frame', frame: { ...frame, data: pixels } });
    expect(messages[2]).toEqual({ type: 'frame', frame: { width: 4, height: 3, channels: 1, pixelFormat: 'gray', capturedAt: frame.capturedAt, data: pixels.subarray(0, 12) } });
    expect(messages[3]).toEqual({ type: 'heartbeat', reason: 'rate-capped' });
    expect(messages[4]).toEqual({ type: 'failed', code: 'ENDED', message: 'bye' });
  });

  it("gives each frame pixels of its own, which outlive the pipe's chunks", () => {
    const chunk = Buffer.from(stream);
    const messages: CaptureMessage[] = [];
    copyInto(new MessageDecoder((message) => messages.push(message)), chunk);
    chunk.fill(0);
    const decoded = messages[1] as Extract<CaptureMessage, { type: 'frame' }>;
    expect(decoded.frame.data.equals(pixels)).toBe(true);
  });
});
