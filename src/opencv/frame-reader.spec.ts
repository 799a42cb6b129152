import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaptureMessage } from './frame-protocol.js';
import { copyInto } from '../capture/read-target.js';
import { MessageDecoder } from './frame-protocol.js';
import { FrameReader, type FrameReaderPorts } from './frame-reader.js';

/** A picture as the fake capture gives it: its size, the value of every pixel, and when the camera stamped it. */
interface Picture {
  readonly width?: number;
  readonly value: number;
  readonly pts: number;
}

class FakeMat {
  released = false;
  constructor(
    readonly cols: number,
    readonly rows: number,
    readonly value: number,
    readonly empty = false,
  ) {}
  release(): void {
    this.released = true;
  }
  getData(): Buffer {
    return Buffer.alloc(this.cols * this.rows * 3, this.value);
  }
  resize(rows: number, cols: number): FakeMat {
    return new FakeMat(cols, rows, this.value);
  }
  cvtColor(): FakeMat {
    return new FakeMat(this.cols, this.rows, this.value);
  }
}

const CV = { CAP_PROP_FPS: 5, CAP_PROP_FOURCC: 6, CAP_PROP_POS_MSEC: 0, COLOR_BGR2RGB: 4, COLOR_BGR2GRAY: 6, INTER_AREA: 3, IMWRITE_JPEG_QUALITY: 1, imencode: () => Buffer.from('jpeg') };

const SETTINGS: FrameReaderPorts['settings'] = {
  pixelFormat: 'bgr',
  jpegQuality: 80,
  size: undefined,
  maxFps: undefined,
  delivery: 'latest',
  queueSize: 3,
  initialCredit: 1,
  emptyReadsBeforeEnd: 3,
};

class Stopped extends Error {}

/**
 * A frame reader over a scripted capture: each entry is a picture (`null` an empty read,
 * `'break'` a read that throws), read when the test says so, in virtual time.
 */
function harness(script: Array<Picture | null | 'break'>, settings: Partial<FrameReaderPorts['settings']> = {}) {
  const messages: CaptureMessage[] = [];
  const decoder = new MessageDecoder((message) => messages.push(message));
  const mats: FakeMat[] = [];
  let pts = 0;
  let stopped = false;
  const waiting: Array<() => void> = [];
  const capture = {
    readAsync: async () => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      const next = script.shift();
      if (next === undefined || next === 'break') throw new Error('the stream broke');
      if (next === null) return new FakeMat(0, 0, 0, true);
      pts = next.pts;
      const mat = new FakeMat(next.width ?? 4, 2, next.value);
      mats.push(mat);
      return mat;
    },
    get: (property: number) => (property === CV.CAP_PROP_POS_MSEC ? pts : property === CV.CAP_PROP_FPS ? 25 : 0),
  };
  const reader = new FrameReader({
    cv: CV as unknown as FrameReaderPorts['cv'],
    capture: capture as unknown as FrameReaderPorts['capture'],
    settings: { ...SETTINGS, ...settings },
    send: (message) => messages.push(message),
    write: (parts) => copyInto(decoder, Buffer.concat(parts)),
    fail: (code, message) => {
      stopped = true;
      messages.push({ type: 'failed', code, message });
      throw new Stopped();
    },
    stopped: () => stopped,
    now: () => Date.now(),
  });
  const run = reader.run().catch((error: unknown) => {
    if (!(error instanceof Stopped)) throw error;
  });
  /** Lets the capture return its next read `after` ms from now. */
  const read = async (after = 40): Promise<void> => {
    await vi.advanceTimersByTimeAsync(after);
    while (waiting.length === 0) await vi.advanceTimersByTimeAsync(0);
    waiting.shift()!();
    await vi.advanceTimersByTimeAsync(0);
  };
  const frames = () => messages.flatMap((message) => (message.type === 'frame' ? [message.frame] : []));
  const heartbeats = () => messages.flatMap((message) => (message.type === 'heartbeat' ? [message.reason] : []));
  return { reader, read, messages, frames, heartbeats, mats, run };
}

/** Pictures 40 ms of stream apart from `from`, of values `first`, `first + 1`, ... */
const pictures = (count: number, first = 1, from = 0): Picture[] => Array.from({ length: count }, (_, i) => ({ value: first + i, pts: from + i * 40 }));

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('FrameReader', () => {
  it('holds back the pictures read faster than the camera sends them, then sends the live one', async () => {
    const { reader, read, frames } = harness(pictures(10));
    reader.grant(1);
    for (let i = 0; i < 5; i++) await read(2); // FFmpeg's buffer: 5 pictures, 2 ms apart
    for (let i = 0; i < 3; i++) await read(40);
    expect(frames()).toEqual([]);
    await read(40); // the fourth at the camera's pace: live
    expect(frames().map((frame) => frame.data[0])).toEqual([9]);
  });

  it('sends the held picture once no other follows within the quiet gap, for a slow camera', async () => {
    const { reader, read, frames } = harness([{ value: 9, pts: 0 }, { value: 10, pts: 1000 }]);
    reader.grant(1);
    await read(0);
    expect(frames()).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    // The gap is up; the read after it finds no picture.
    await vi.runOnlyPendingTimersAsync();
    expect(frames().map((frame) => frame.data[0])).toEqual([9]);
  });

  it('sends only the newest picture when credit comes, counting the ones it dropped, and heartbeats the rest', async () => {
    const { reader, read, frames, heartbeats, mats } = harness(pictures(10));
    for (let i = 0; i < 5; i++) await read(40); // at the live edge after the fifth
    reader.grant(1);
    expect(frames().map((frame) => frame.data[0])).toEqual([5]);
    for (let i = 0; i < 4; i++) await read(40);
    // The live picture itself waited for credit too.
    expect(heartbeats()).toEqual(['unwanted', 'unwanted', 'unwanted', 'unwanted', 'unwanted']);
    reader.grant(1);
    expect(frames().map((frame) => [frame.data[0], frame.dropped])).toEqual([[5, 4], [9, 3]]);
    // Every native picture was released: sent or dropped.
    expect(mats.every((mat) => mat.released)).toBe(true);
  });

  it('queues every picture in order up to queueSize, counting what the full queue lost', async () => {
    const { reader, read, frames } = harness(pictures(6), { delivery: 'queue', queueSize: 3 });
    for (let i = 0; i < 6; i++) await read(2);
    reader.grant(10);
    expect(frames().map((frame) => [frame.data[0], frame.dropped])).toEqual([[4, 3], [5, undefined], [6, undefined]]);
  });

  it('keeps a rate cap, saying so in its heartbeats', async () => {
    const { reader, read, frames, heartbeats } = harness(pictures(12), { maxFps: 10 });
    reader.grant(100);
    for (let i = 0; i < 12; i++) await read(40);
    // Live from the fifth picture (160 ms); then one every 100 ms at most: 4 in 120 ms apart.
    expect(frames().map((frame) => [frame.data[0], frame.dropped])).toEqual([[5, 4], [8, 2], [11, 2]]);
    expect(heartbeats()).toEqual(Array(5).fill('rate-capped'));
  });

  it('stamps capturedAt when the picture was read, not when it was sent, and says nothing of held-back pictures', async () => {
    const { reader, read, frames, heartbeats } = harness(pictures(6));
    for (let i = 0; i < 5; i++) await read(40);
    const readAt = Date.now();
    expect(heartbeats()).toEqual(['unwanted']);
    await vi.advanceTimersByTimeAsync(500);
    reader.grant(1);
    expect(frames()[0]!.capturedAt).toBe(readAt);
  });

  it('waits through empty reads before the first picture, and ends after one', async () => {
    const waiting = harness([null, null, ...pictures(6), null]);
    waiting.reader.grant(1);
    for (let i = 0; i < 9; i++) await waiting.read(40);
    expect(waiting.messages.at(-1)).toEqual({ type: 'failed', code: 'ENDED', message: 'the camera ended the stream' });
    expect(waiting.frames().length).toBe(1);
  });

  it('ends with ENDED when a read throws, and after too many empty reads before any picture; nothing follows the end', async () => {
    const broken = harness(['break']);
    await broken.read(0);
    broken.reader.grant(5);
    await vi.advanceTimersByTimeAsync(1000);
    expect(broken.messages).toEqual([{ type: 'failed', code: 'ENDED', message: 'the stream broke off (the stream broke)' }]);
    const silent = harness([null, null, null]);
    for (let i = 0; i < 3; i++) await silent.read(0);
    expect(silent.messages.at(-1)).toMatchObject({ type: 'failed', code: 'ENDED' });
  });

  it('announces the size when it changes, and scales to size when asked', async () => {
    const { reader, read, messages, frames } = harness([...pictures(3), { width: 8, value: 4, pts: 120 }, { width: 8, value: 5, pts: 160 }], { size: { width: 2, height: 1 } });
    reader.grant(10);
    for (let i = 0; i < 5; i++) await read(40);
    const opened = messages.filter((message) => message.type === 'opened');
    expect(opened).toHaveLength(2);
    expect(opened[0]).toMatchObject({ info: { width: 2, height: 1, fps: 25 } });
    expect(frames().every((frame) => frame.width === 2 && frame.height === 1)).toBe(true);
  });
});
