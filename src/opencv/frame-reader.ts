import type { CapturedFrame } from '../capture-source.js';
import type { CaptureMessage } from './frame-protocol.js';
import { encodeFrame } from './frame-protocol.js';
import type { CaptureSettings } from './capture-settings.js';
import { pixelChannels } from '../capture/capture-options.js';
import { LiveEdge } from '../capture/live-edge.js';

type OpenCv = typeof import('@u4/opencv4nodejs').default;
type Mat = import('@u4/opencv4nodejs').Mat;

/** A converted frame waiting for credit, with the count of frames lost before it. */
interface QueuedFrame {
  readonly frame: Omit<CapturedFrame, 'data' | 'dropped'>;
  readonly pixels: Buffer;
  dropped: number;
}

/**
 * What a {@link FrameReader} needs, and nothing more: so that it runs in the capture process
 * on OpenCV, and in a test on fakes.
 */
export interface FrameReaderPorts {
  readonly cv: Pick<OpenCv, 'CAP_PROP_FPS' | 'CAP_PROP_FOURCC' | 'CAP_PROP_POS_MSEC' | 'COLOR_BGR2RGB' | 'COLOR_BGR2GRAY' | 'COLOR_BGR2YUV_I420' | 'INTER_AREA' | 'IMWRITE_JPEG_QUALITY' | 'imencode'>;
  readonly capture: Pick<InstanceType<OpenCv['VideoCapture']>, 'readAsync' | 'get'>;
  readonly settings: Omit<CaptureSettings, 'url' | 'ffmpegOptions' | 'backend'>;
  /** Sends the application a message that is not a frame. */
  readonly send: (message: Exclude<CaptureMessage, { type: 'frame' }>) => void;
  /** Writes one encoded frame, its parts in turn. */
  readonly write: (parts: readonly Buffer[]) => void;
  /** Ends the capture with a failure; does not return. */
  readonly fail: (code: Extract<CaptureMessage, { type: 'failed' }>['code'], message: string) => never;
  /** Whether the last word is said, after which nothing may be written. */
  readonly stopped: () => boolean;
  /** Progress notes for the debug log. */
  readonly note?: (line: string) => void;
  /** The clock of `capturedAt`. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * Reads frames as fast as the camera sends them, and keeps only what the application can
 * take: the newest frame, or a bounded queue of them.
 */
export class FrameReader {
  private credit = 0;
  private newest: Mat | undefined;
  private readonly queue: QueuedFrame[] = [];
  private dropped = 0;
  private newestAt = 0;
  private lastSentAt = -Infinity;
  private announced = '';
  private readonly minInterval: number;
  /**
   * Holds back the pictures FFmpeg buffered while it opened the stream, up to 1.4 s old, until
   * one keeps the camera's pace. A queue keeps every frame, those too.
   */
  private readonly liveEdge: LiveEdge | undefined;
  private readonly convert: number | undefined;
  private readonly channels: number;

  private readonly cv: FrameReaderPorts['cv'];
  private readonly capture: FrameReaderPorts['capture'];
  private readonly settings: FrameReaderPorts['settings'];
  private readonly now: () => number;

  constructor(private readonly ports: FrameReaderPorts) {
    const { cv, settings } = ports;
    this.cv = cv;
    this.capture = ports.capture;
    this.settings = settings;
    this.now = ports.now ?? Date.now;
    this.minInterval = settings.maxFps === undefined ? 0 : 1000 / settings.maxFps;
    this.convert = ({ bgr: undefined, rgb: cv.COLOR_BGR2RGB, gray: cv.COLOR_BGR2GRAY, yuv420p: cv.COLOR_BGR2YUV_I420, jpeg: undefined } as const)[settings.pixelFormat];
    this.channels = pixelChannels(settings.pixelFormat);
    this.liveEdge = settings.delivery === 'latest' ? new LiveEdge() : undefined;
  }

  grant(frames: number): void {
    this.credit += frames;
    this.flush();
  }

  async run(): Promise<void> {
    let emptyReads = 0;
    let seenPicture = false;
    for (;;) {
      let mat: Mat;
      try {
        mat = await this.capture.readAsync();
      } catch (error) {
        this.ports.fail('ENDED', `the stream broke off (${error instanceof Error ? error.message : String(error)})`);
      }
      const capturedAt = this.now();
      if (mat.empty) {
        mat.release();
        emptyReads++;
        this.ports.note?.(`no picture yet (empty read ${emptyReads})`);
        // Before the first keyframe a read comes back empty; that is a wait, not a drop.
        if (seenPicture || emptyReads >= this.settings.emptyReadsBeforeEnd) {
          this.ports.fail('ENDED', 'the camera ended the stream');
        }
        continue;
      }
      emptyReads = 0;
      seenPicture = true;
      this.announce(mat.cols, mat.rows);
      this.take(mat, capturedAt);
      if (!this.atLiveEdge(capturedAt)) continue;
      // The application's stall watchdog hears of every picture, sent or not, and why not: with
      // credit left only the rate cap can have held it back.
      if (!this.flush()) this.ports.send({ type: 'heartbeat', reason: this.credit > 0 ? 'rate-capped' : 'unwanted' });
    }
  }

  /** Whether the picture just read is live; if not, it is only sent when none follows soon. */
  private atLiveEdge(capturedAt: number): boolean {
    return this.liveEdge === undefined || this.liveEdge.hold(capturedAt, this.capture.get(this.cv.CAP_PROP_POS_MSEC), () => this.flush());
  }

  /** Tells the application the stream's size, when it opens and whenever the size changes. */
  announce(width: number, height: number): void {
    const key = `${width}x${height}`;
    if (key === this.announced) return;
    this.announced = key;
    const fps = this.capture.get(this.cv.CAP_PROP_FPS);
    const fourcc = this.capture.get(this.cv.CAP_PROP_FOURCC);
    const codec = fourcc > 0 ? String.fromCharCode(fourcc & 0xff, (fourcc >> 8) & 0xff, (fourcc >> 16) & 0xff, (fourcc >> 24) & 0xff).trim().toLowerCase() : '';
    this.ports.send({
      type: 'opened',
      info: {
        width: this.settings.size?.width ?? width,
        height: this.settings.size?.height ?? height,
        fps: Number.isFinite(fps) && fps > 0 && fps < 1000 ? fps : undefined,
        ...(codec === '' ? {} : { codec }),
      },
    });
  }

  private take(mat: Mat, capturedAt: number): void {
    if (capturedAt - this.lastSentAt < this.minInterval) {
      mat.release();
      this.dropped++;
      return;
    }
    if (this.settings.delivery === 'queue') {
      this.queue.push({ ...this.convertPicture(mat, capturedAt), dropped: this.dropped });
      this.dropped = 0;
      if (this.queue.length > this.settings.queueSize) {
        // The next frame out says how many were lost before it, these included.
        const lost = this.queue.shift()!;
        this.queue[0]!.dropped += lost.dropped + 1;
      }
      return;
    }
    if (this.newest !== undefined) {
      this.newest.release();
      this.dropped++;
    }
    this.newest = mat;
    this.newestAt = capturedAt;
  }

  /** Sends what the credit allows; true when it sent anything. */
  private flush(): boolean {
    let sent = false;
    while (this.credit > 0 && !this.ports.stopped() && this.liveEdge?.reached !== false) {
      let next: QueuedFrame | undefined;
      if (this.settings.delivery === 'queue') {
        next = this.queue.shift();
      } else if (this.newest !== undefined) {
        next = { ...this.convertPicture(this.newest, this.newestAt), dropped: this.dropped };
        this.dropped = 0;
        this.newest = undefined;
      }
      if (next === undefined) break;
      this.credit--;
      this.lastSentAt = this.now();
      this.ports.write(encodeFrame({ ...next.frame, dropped: next.dropped }, next.pixels));
      sent = true;
    }
    return sent;
  }

  /** Converts where the frame was decoded, then lets go of the native memory at once. */
  private convertPicture(mat: Mat, capturedAt: number): Omit<QueuedFrame, 'dropped'> {
    let picture = mat;
    const size = this.settings.size;
    if (size !== undefined && (picture.cols !== size.width || picture.rows !== size.height)) {
      picture = picture.resize(size.height, size.width, 0, 0, this.cv.INTER_AREA);
    }
    const { cols: width, rows: height } = picture;
    if (this.convert !== undefined) {
      const converted = picture.cvtColor(this.convert);
      if (picture !== mat) picture.release();
      picture = converted;
    }
    const pixels = this.settings.pixelFormat === 'jpeg'
      ? this.cv.imencode('.jpg', picture, [this.cv.IMWRITE_JPEG_QUALITY, this.settings.jpegQuality])
      : picture.getData();
    const frame = { width, height, channels: this.channels, pixelFormat: this.settings.pixelFormat, capturedAt };
    if (picture !== mat) picture.release();
    mat.release();
    return { frame, pixels };
  }
}
