/**
 * The capture process: one per camera attempt, started by `opencvCaptureSource`. It is the
 * only place where OpenCV touches a camera, so that a camera can freeze, starve or crash this
 * process and never the application.
 *
 * It reads its settings, URL included, as one JSON line on stdin (never argv, which `ps`
 * shows to every user); opens the camera; drains the decoder without pause; and sends frames
 * on fd 3 while the application has granted credit for them, a heartbeat for each picture it
 * does not send. Whatever OpenCV and FFmpeg print
 * goes to stdout and stderr, which the application routes to its debug log. It exits when
 * stdin closes, so it can never outlive the application.
 */
import { Socket } from 'node:net';
import { openControlChannel } from './control-channel.js';
import { encodeFrame, encodeJson, type CaptureMessage } from './frame-protocol.js';
import { LiveEdge } from './live-edge.js';
import type { CaptureSettings } from './capture-settings.js';

type OpenCv = typeof import('@u4/opencv4nodejs').default;
type Mat = import('@u4/opencv4nodejs').Mat;

const output = new Socket({ fd: 3, readable: false, writable: true });
// The application is gone, or has let go of this capture: nothing is left to tell anyone.
for (const stream of [output, process.stdout, process.stderr]) stream.on('error', () => process.exit(1));

/** Set once the last word is said: nothing may be written after it. */
let stopping = false;
const send = (message: Exclude<CaptureMessage, { type: 'frame' }>): void => {
  if (!stopping) output.write(encodeJson(message));
};

function fail(code: Extract<CaptureMessage, { type: 'failed' }>['code'], message: string): never {
  if (!stopping) {
    stopping = true;
    output.end(encodeJson({ type: 'failed', code, message }), () => process.exit(1));
  }
  // Unwinds the read loop; the process exits once the message is out.
  throw new CaptureStopped();
}

class CaptureStopped extends Error {}

async function main(): Promise<void> {
  // Closed stdin means the application is gone or has let go: nothing is left to do.
  const channel = openControlChannel(process.stdin, () => process.exit(0));
  const settings = await channel.settings;
  if (settings === undefined) return;

  // Read when the addon loads or a capture opens, so they are set before either. Frames are
  // released by hand here, and the addon's memory accounting is what crashes V8 with many
  // cameras; the addon is built against the system's OpenCV, never downloaded.
  process.env['OPENCV4NODEJS_DISABLE_EXTERNAL_MEM_TRACKING'] = '1';
  process.env['OPENCV4NODEJS_DISABLE_AUTOBUILD'] ??= '1';
  process.env['OPENCV_FFMPEG_CAPTURE_OPTIONS'] = settings.ffmpegOptions;
  let cv: OpenCv;
  try {
    cv = ((await import('@u4/opencv4nodejs')) as { default: OpenCv }).default;
  } catch (error) {
    // No retry can cure a missing or broken addon: the application gives up at once.
    fail('CAPTURE_UNAVAILABLE', `the OpenCV addon @u4/opencv4nodejs could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); install it as the README says, or use another capture source`);
  }

  let capture: InstanceType<OpenCv['VideoCapture']>;
  try {
    capture = new cv.VideoCapture(settings.url, settings.backend === 'ffmpeg' ? cv.CAP_FFMPEG : cv.CAP_ANY);
  } catch (error) {
    fail('CAPTURE_ERROR', `could not open the stream (${error instanceof Error ? error.message : String(error)})`);
  }
  const reader = new FrameReader(cv, capture, settings);
  // The session is up: say so now, for the first keyframe may be seconds away.
  reader.announce(capture.get(cv.CAP_PROP_FRAME_WIDTH), capture.get(cv.CAP_PROP_FRAME_HEIGHT));

  reader.grant(settings.initialCredit);
  channel.onCredit((frames) => reader.grant(frames));
  await reader.run();
}

/**
 * Reads frames as fast as the camera sends them, and keeps only what the application can
 * take: the newest frame, or a bounded queue of them.
 */
class FrameReader {
  private credit = 0;
  private newest: Mat | undefined;
  private readonly queue: Buffer[][] = [];
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
  private quietTimer: NodeJS.Timeout | undefined;
  private readonly convert: number | undefined;
  private readonly channels: number;

  constructor(
    private readonly cv: OpenCv,
    private readonly capture: InstanceType<OpenCv['VideoCapture']>,
    private readonly settings: CaptureSettings,
  ) {
    this.minInterval = settings.maxFps === undefined ? 0 : 1000 / settings.maxFps;
    this.convert = ({ bgr: undefined, rgb: cv.COLOR_BGR2RGB, gray: cv.COLOR_BGR2GRAY, jpeg: undefined } as const)[settings.pixelFormat];
    this.channels = settings.pixelFormat === 'gray' ? 1 : 3;
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
        fail('ENDED', `the stream broke off (${error instanceof Error ? error.message : String(error)})`);
      }
      const capturedAt = Date.now();
      if (mat.empty) {
        mat.release();
        emptyReads++;
        process.stderr.write(`no picture yet (empty read ${emptyReads})\n`);
        // Before the first keyframe a read comes back empty; that is a wait, not a drop.
        if (seenPicture || emptyReads >= this.settings.emptyReadsBeforeEnd) {
          fail('ENDED', 'the camera ended the stream');
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
      if (!this.flush()) send({ type: 'heartbeat', reason: this.credit > 0 ? 'rate-capped' : 'unwanted' });
    }
  }

  /** Whether the picture just read is live; if not, it is only sent when none follows soon. */
  private atLiveEdge(capturedAt: number): boolean {
    const edge = this.liveEdge;
    if (edge === undefined || edge.see(capturedAt, this.capture.get(this.cv.CAP_PROP_POS_MSEC))) return true;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      edge.quiet();
      this.flush();
    }, edge.gap);
    return false;
  }

  /** Tells the application the stream's size, when it opens and whenever the size changes. */
  announce(width: number, height: number): void {
    const key = `${width}x${height}`;
    if (key === this.announced) return;
    this.announced = key;
    const fps = this.capture.get(this.cv.CAP_PROP_FPS);
    const fourcc = this.capture.get(this.cv.CAP_PROP_FOURCC);
    const codec = fourcc > 0 ? String.fromCharCode(fourcc & 0xff, (fourcc >> 8) & 0xff, (fourcc >> 16) & 0xff, (fourcc >> 24) & 0xff).trim().toLowerCase() : '';
    send({
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
      this.queue.push(this.encode(mat, capturedAt));
      if (this.queue.length > this.settings.queueSize) {
        this.queue.shift();
        this.dropped++;
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
    while (this.credit > 0 && !stopping && this.liveEdge?.reached !== false) {
      let message: Buffer[] | undefined;
      if (this.settings.delivery === 'queue') {
        message = this.queue.shift();
      } else if (this.newest !== undefined) {
        message = this.encode(this.newest, this.newestAt);
        this.newest = undefined;
      }
      if (message === undefined) break;
      this.credit--;
      this.lastSentAt = Date.now();
      for (const part of message) output.write(part);
      sent = true;
    }
    return sent;
  }

  /** Converts where the frame was decoded, then lets go of the native memory at once. */
  private encode(mat: Mat, capturedAt: number): Buffer[] {
    let picture = mat;
    const size = this.settings.size;
    if (size !== undefined && (picture.cols !== size.width || picture.rows !== size.height)) {
      picture = picture.resize(size.height, size.width, 0, 0, this.cv.INTER_AREA);
    }
    if (this.convert !== undefined) {
      const converted = picture.cvtColor(this.convert);
      if (picture !== mat) picture.release();
      picture = converted;
    }
    const pixels = this.settings.pixelFormat === 'jpeg'
      ? this.cv.imencode('.jpg', picture, [this.cv.IMWRITE_JPEG_QUALITY, this.settings.jpegQuality])
      : picture.getData();
    const frame = { width: picture.cols, height: picture.rows, channels: this.channels, pixelFormat: this.settings.pixelFormat, capturedAt, dropped: this.dropped };
    if (picture !== mat) picture.release();
    mat.release();
    this.dropped = 0;
    return encodeFrame(frame, pixels);
  }
}

main().catch((error: unknown) => {
  if (error instanceof CaptureStopped) return;
  process.stderr.write(`capture process: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
