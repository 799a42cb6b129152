import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Socket } from 'node:net';
import { Observable } from 'rxjs';
import { match } from 'ts-pattern';
import type { CaptureEvent, CaptureRequest, CaptureSource, StreamInfo } from '../capture-source.js';
import { diagnose } from '../capture/ffmpeg-diagnosis.js';
import { LiveEdge } from '../capture/live-edge.js';
import { CAPTURE_RULES, pixelChannels, type CaptureOptions } from '../capture/capture-options.js';
import { overTransport } from '../capture/transport-fallback.js';
import { RtspError } from '../errors.js';
import { debugLogger } from '../logger.js';
import { checkOptions, RULES, type Rule } from '../validation.js';
import { ffmpegArguments, gateCommand, INPUT_LIST, inputList, LIST_READER, pictureBytes, rateCap, rateCapInterval, type FfmpegSettings } from './ffmpeg-command.js';
import { FfmpegLog } from './ffmpeg-log.js';
import { jpegPictures, rawPictures, type FrameAssembler } from './frame-assembler.js';
import { frameSocketPair } from '../capture/frame-socket.js';
import { copyInto, type ReadTarget } from '../capture/read-target.js';

/**
 * Options of {@link ffmpegCaptureSource}: those of both sources, and ffmpeg's own. With
 * `delivery: 'queue'` a slow application slows ffmpeg, which then works through the camera's
 * backlog.
 *
 * @example
 * ```ts
 * // A detector at 2 frames a second on small I420 pictures, decoded on the GPU where there is one:
 * const light: FfmpegCaptureOptions = { maxFps: 2, size: { width: 640, height: 360 }, pixelFormat: 'yuv420p', hwaccel: 'vaapi' };
 * ```
 */
export interface FfmpegCaptureOptions extends CaptureOptions {
  /**
   * Decode on this hardware (`-hwaccel`). A camera whose attempts fail twice before their
   * first frame with it is decoded in software from then on.
   */
  readonly hwaccel?: 'vaapi' | 'cuda' | 'qsv';
  /**
   * Decoder threads. Default 1: a camera at up to 1920x1080 decodes in a few milliseconds a
   * picture on one thread, and more threads cost memory, CPU to keep them in step, and a
   * picture of delay each. 0 lets ffmpeg choose, for 4K H.265 and the like.
   */
  readonly decoderThreads?: number;
  /** The ffmpeg program. Default `ffmpeg`, found on PATH. */
  readonly ffmpegPath?: string;
  /**
   * ffmpeg older than 5.0 can only take the URL in its command line, where every local user
   * can read it. For a URL with a password that is refused (`CAPTURE_UNAVAILABLE`) unless this
   * is `true`. Default `false`.
   */
  readonly credentialsInArgv?: boolean;
}

/** The rule of each option of {@link ffmpegCaptureSource}. */
export const FFMPEG_OPTION_RULES = {
  ...CAPTURE_RULES,
  hwaccel: RULES.oneOf('vaapi', 'cuda', 'qsv'),
  decoderThreads: { type: 'a number', isType: (v: unknown) => typeof v === 'number', range: 'a whole number from 0 to 64', inRange: (v: number) => Number.isInteger(v) && v >= 0 && v <= 64 },
  ffmpegPath: { type: 'a string', isType: (v: unknown) => typeof v === 'string', range: 'a path or a name on PATH', inRange: (v: string) => v.trim() !== '' },
  credentialsInArgv: RULES.boolean,
} as const satisfies Record<keyof FfmpegCaptureOptions, Rule>;

/** Lines of ffmpeg's output kept to explain a failure. */
const LINES_KEPT = 30;
/** Attempts with `hwaccel` that fail before their first frame, after which a camera is decoded in software. */
const HWACCEL_FAILURES = 2;

/**
 * The ffmpeg capture source: each attempt runs the system's ffmpeg, which opens the camera,
 * decodes, and writes raw (or JPEG) pictures to a socket that the application reads straight
 * into each frame's own buffer. No native addon: `npm install rtsp-rx rxjs` and an ffmpeg
 * (5.0 or newer) on PATH. A camera that hangs, floods or crashes takes that process with it,
 * never the application; unsubscribing kills it, and it cannot outlive the application: its
 * next log line after the application is gone ends it (SIGPIPE), and each of its waits on the
 * camera is bounded by `ioTimeout`.
 *
 * The URL never reaches a command line: a shell reads it from stdin and hands it to ffmpeg as
 * an input list. Pictures nobody takes (over `maxFps`, or while `demand$` says nobody wants
 * frames) are decoded and dropped inside ffmpeg, never converted or written.
 *
 * Frames are read on the application's event loop: a consumer that blocks the loop for
 * 200 ms receives frames up to 200 ms old. The OpenCV source reads in a process of its own.
 *
 * @throws TypeError or RangeError naming the option, for a bad option.
 *
 * @example
 * ```ts
 * import { rtspFrames$ } from 'rtsp-rx';
 * import { ffmpegCaptureSource } from 'rtsp-rx/ffmpeg';
 *
 * rtspFrames$('rtsp://127.0.0.1:8554/cam', { source: ffmpegCaptureSource({ maxFps: 5, pixelFormat: 'rgb' }) })
 *   .subscribe((frame) => console.log(frame.sequence, frame.width, frame.height)); // 1 1920 1080, 2 1920 1080, ...
 * ```
 */
export function ffmpegCaptureSource(options: FfmpegCaptureOptions = {}): CaptureSource {
  checkOptions('ffmpegCaptureSource', options, FFMPEG_OPTION_RULES);
  const log = options.log ?? debugLogger.debug;
  const program = options.ffmpegPath ?? 'ffmpeg';
  let version: Promise<FfmpegVersion> | undefined;
  /** Cameras and how many of their attempts failed before a frame with hwaccel. */
  const hwaccelFailures = new Map<string, number>();
  const shared: Omit<FfmpegSettings, 'transport' | 'hwaccel'> = {
    ioTimeout: options.ioTimeout ?? 10_000,
    pixelFormat: options.pixelFormat ?? 'bgr',
    jpegQuality: options.jpegQuality ?? 80,
    size: options.size,
    maxFps: options.maxFps,
    decoderThreads: options.decoderThreads ?? 1,
    delivery: options.delivery ?? 'latest',
  };
  return overTransport(
    options.transport ?? 'auto',
    (request, transport) =>
      ffmpegAttempt(request, {
        program,
        version: () => (version ??= ffmpegVersion(program)),
        settings: () => ({
          ...shared,
          transport,
          hwaccel: (hwaccelFailures.get(request.address.url) ?? 0) < HWACCEL_FAILURES ? options.hwaccel : undefined,
        }),
        credentialsInArgv: options.credentialsInArgv ?? false,
        log,
        failedBeforeFrame: (settings) => {
          if (settings.hwaccel === undefined) return;
          const failures = (hwaccelFailures.get(request.address.url) ?? 0) + 1;
          hwaccelFailures.set(request.address.url, failures);
          if (failures === HWACCEL_FAILURES) log(`ffmpeg: ${failures} attempts with hwaccel ${settings.hwaccel} failed before a frame: software decoding for this camera from now on`);
        },
      }),
    log,
  );
}

interface AttemptPorts {
  readonly program: string;
  readonly version: () => Promise<FfmpegVersion>;
  readonly settings: () => FfmpegSettings;
  readonly credentialsInArgv: boolean;
  readonly log: (line: string) => void;
  readonly failedBeforeFrame: (settings: FfmpegSettings) => void;
}

function ffmpegAttempt(request: CaptureRequest, ports: AttemptPorts): Observable<CaptureEvent> {
  return new Observable<CaptureEvent>((subscriber) => {
    const { scrub } = request.address;
    let released = false;
    let child: ChildProcess | undefined;
    let reader: Socket | undefined;
    let wanted = true;
    let opened: StreamInfo | undefined;
    let framesSeen = 0;
    // Settled once per attempt: hwaccel stays as it was when the attempt began.
    const settings = ports.settings();
    const lines: string[] = [];
    const fail = (error: RtspError): void => subscriber.error(error);

    // The gate opens at the live edge for the attempt's first picture, which proves the
    // camera works, and then follows demand$.
    let gateOpen = settings.delivery === 'queue';
    const moveGate = (): void => {
      const open = delivery.live && (wanted || framesSeen === 0);
      if (open !== gateOpen) sendGate(open);
    };
    const sendGate = (open: boolean): void => {
      if (child?.stdin?.writable !== true) return;
      gateOpen = open;
      // One write, one line: ffmpeg reads a command to its end before it goes on.
      child.stdin.write(gateCommand(open));
    };
    let assembler: FrameAssembler | undefined;
    // Node asks for the first read's memory when the socket opens, before the picture's size
    // is known; what lands there is copied into the assembler's own.
    const scratch = Buffer.allocUnsafe(64 * 1024);
    let given: Uint8Array = scratch;
    const socketTarget: ReadTarget = {
      space: () => (given = assembler?.space() ?? scratch),
      received: (bytes) => {
        if (assembler === undefined) return;
        if (given === scratch) copyInto(assembler, scratch.subarray(0, bytes));
        else assembler.received(bytes);
      },
    };
    const delivery = new Delivery(settings.delivery, settings.maxFps, {
      deliver: (frame) => {
        // Those that passed the gate while it closed are nobody's.
        if (!wanted && framesSeen > 0) return;
        framesSeen++;
        subscriber.next({ type: 'frame', frame });
        moveGate();
      },
      live: moveGate,
    });
    const demand = request.demand$.subscribe({
      next: (value) => {
        wanted = value;
        moveGate();
      },
      error: (error: unknown) => fail(new RtspError('CAPTURE_ERROR', `demand$ failed: ${error instanceof Error ? error.message : String(error)}`)),
    });

    const start = async (): Promise<void> => {
      const { takesInputList, name } = await ports.version();
      const hasPassword = new URL(request.address.url).password !== '';
      if (!takesInputList && hasPassword && !ports.credentialsInArgv) {
        throw new RtspError(
          'CAPTURE_UNAVAILABLE',
          `${name} can only take the camera's URL in its command line, where every local user can read the password: install ffmpeg 5.0 or newer, use the OpenCV source (rtsp-rx/opencv), or set credentialsInArgv: true to accept that`,
        );
      }
      const pair = await frameSocketPair(socketTarget);
      if (released) {
        pair.inner.destroy();
        pair.reader.destroy();
        return;
      }
      reader = pair.reader;
      // Nothing is read until the picture's size is known.
      reader.pause();
      reader.on('error', () => undefined);
      const input = takesInputList ? INPUT_LIST : request.address.url;
      child = spawn('/bin/sh', ['-c', LIST_READER, 'ffmpeg', ports.program, ...ffmpegArguments(input, settings)], {
        stdio: ['pipe', pair.inner, 'pipe'],
        windowsHide: true,
      });
      pair.inner.destroy();
      const spawned = child;
      spawned.stdin!.on('error', () => undefined);
      spawned.stdin!.write(takesInputList ? inputList(request.address.url, settings) : '.\n');
      spawned.once('error', (error) => fail(new RtspError('CAPTURE_UNAVAILABLE', `could not start ffmpeg: ${error.message}`)));
      spawned.once('close', (code, signal) => {
        if (released) return;
        const error = exitError(ports.program, lines, code, signal);
        // Not the camera's answer: what a decoder that cannot start on this hardware ends in.
        if (framesSeen === 0 && error.code === 'CAPTURE_ERROR') ports.failedBeforeFrame(settings);
        fail(error);
      });
      const log = new FfmpegLog();
      createInterface({ input: spawned.stderr!, crlfDelay: Infinity }).on('line', (raw) => {
        const line = scrub(raw);
        match(log.read(line))
          .with({ kind: 'picture' }, ({ pts, width, height }) => onPicture(pts, width, height))
          .with({ kind: 'sent' }, ({ pts }) => delivery.sent(pts))
          .with({ kind: 'stream' }, ({ info }) => onStream(info))
          .with({ kind: 'other' }, () => {
            ports.log(`ffmpeg ${spawned.pid}: ${line}`);
            lines.push(line);
            if (lines.length > LINES_KEPT) lines.shift();
          })
          .exhaustive();
      });
    };

    const onStream = (info: StreamInfo): void => {
      opened = info;
      const { pixelFormat, size } = settings;
      const width = size?.width ?? info.width;
      const height = size?.height ?? info.height;
      const channels = pixelChannels(pixelFormat);
      const bytes = pictureBytes(pixelFormat, width, height);
      const complete = (data: Buffer): void => delivery.take({ data, width, height, channels, pixelFormat, capturedAt: Date.now() });
      assembler = bytes === undefined ? jpegPictures(complete) : rawPictures(bytes, complete);
      delivery.recycle = (data) => assembler?.recycle(data);
      lines.length = 0;
      subscriber.next({ type: 'opened', info: { ...info, width, height, pid: child?.pid } });
      reader?.resume();
    };

    let capped: ReturnType<typeof rateCap> | undefined;
    let decodedCount = 0;
    let lastWidth = 0;
    let lastHeight = 0;
    const onPicture = (pts: number, width: number, height: number): void => {
      if (opened === undefined) return;
      if (settings.size === undefined && (width !== opened.width || height !== opened.height)) {
        fail(new RtspError('STREAM_CHANGED', `the picture size changed mid-stream from ${opened.width}x${opened.height} to ${width}x${height}`));
        return;
      }
      // ffmpeg builds its filter chain anew for a new size, the gate as its arguments left it.
      if (lastWidth !== 0 && (width !== lastWidth || height !== lastHeight)) sendGate(gateOpen);
      lastWidth = width;
      lastHeight = height;
      const { maxFps } = settings;
      if (maxFps !== undefined) capped ??= rateCap(maxFps);
      const kept = capped === undefined || capped(decodedCount++, pts);
      delivery.decoded(pts);
      if (!delivery.see(Date.now(), pts)) return;
      // The stall watchdog hears of every picture the camera sent, and why none came of it.
      if (!kept) subscriber.next({ type: 'heartbeat', reason: 'rate-capped' });
      else if (!wanted) subscriber.next({ type: 'heartbeat', reason: 'unwanted' });
    };

    start().catch((error: unknown) => fail(error instanceof RtspError ? error : new RtspError('CAPTURE_ERROR', scrub(error instanceof Error ? error.message : String(error)))));

    return () => {
      released = true;
      demand.unsubscribe();
      delivery.stop();
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const stream of [reader, child?.stdin, child?.stderr]) stream?.destroy();
    };
  });
}

type PictureFrame = Extract<CaptureEvent, { type: 'frame' }>['frame'];

/**
 * What reaches the application: with `latest`, the newest picture once the event loop is
 * free (older ones complete in the same turn are dropped and their memory read into again),
 * and nothing from before the live edge; with `queue`, every picture at once. Each frame
 * counts as `dropped` the pictures the camera sent since the last one: held by the rate cap
 * or the gate inside ffmpeg, or replaced here by a newer one.
 *
 * ffmpeg writes a picture only once the next one reaches its output, so after a pause (the
 * gate closed, or the rate cap's gap) the first picture out is one from before the pause.
 * Each picture's timestamp comes from the `showinfo` line that announced it on its way out:
 * one behind the newest decoded picture by more than {@link STALE_AFTER} frame intervals is
 * dropped (with `latest`), and one closer than the cap's interval to the last delivered is
 * dropped (with a cap).
 */
class Delivery {
  recycle: (data: Buffer) => void = () => undefined;
  private ready: PictureFrame | undefined;
  private decodedSinceSent = 0;
  private pending: NodeJS.Immediate | undefined;
  private readonly liveEdge: LiveEdge | undefined;
  /** Timestamps of the pictures on their way out, oldest first. */
  private readonly outgoing: number[] = [];
  private newestDecoded = Number.NaN;
  private frameInterval = 40;
  private lastDelivered = Number.NEGATIVE_INFINITY;
  private readonly capInterval: number;

  constructor(
    private readonly mode: 'latest' | 'queue',
    maxFps: number | undefined,
    private readonly on: { readonly deliver: (frame: PictureFrame) => void; readonly live: () => void },
  ) {
    this.liveEdge = mode === 'latest' ? new LiveEdge() : undefined;
    this.capInterval = maxFps === undefined ? 0 : rateCapInterval(maxFps) * 1000;
  }

  /** Whether the live edge is reached: pictures decoded now are the camera's newest. */
  get live(): boolean {
    return this.liveEdge?.reached ?? true;
  }

  /** Whether the picture ffmpeg decoded at `arrival` with `pts` is live. */
  see(arrival: number, pts: number): boolean {
    const edge = this.liveEdge;
    if (edge === undefined || edge.reached) return true;
    if (!edge.hold(arrival, pts, () => this.reachedLive())) return false;
    this.reachedLive();
    return true;
  }

  private reachedLive(): void {
    this.schedule();
    this.on.live();
  }

  /** Counts a picture the camera sent: all but the one delivered next were dropped on the way. */
  decoded(pts: number): void {
    this.decodedSinceSent++;
    const step = pts - this.newestDecoded;
    if (step > 0 && step < 1000) this.frameInterval = step;
    this.newestDecoded = pts;
  }

  /** A picture on its way out, announced before its bytes come. */
  sent(pts: number): void {
    this.outgoing.push(pts);
  }

  take(frame: PictureFrame): void {
    const pts = this.outgoing.shift();
    if (pts !== undefined && !this.timely(pts)) return this.recycle(frame.data);
    if (pts !== undefined && this.capInterval > 0) this.lastDelivered = pts;
    if (this.mode === 'queue') return this.send(frame);
    if (this.ready !== undefined) this.recycle(this.ready.data);
    this.ready = frame;
    this.schedule();
  }

  stop(): void {
    clearImmediate(this.pending);
    this.liveEdge?.stop();
    this.ready = undefined;
  }

  /** Whether a picture with this timestamp is neither held over a pause nor over the cap. */
  private timely(pts: number): boolean {
    if (pts - this.lastDelivered < this.capInterval) return false;
    return this.mode === 'queue' || !(this.newestDecoded - pts > Math.max(STALE_AFTER * this.frameInterval, STALE_MIN_MS));
  }

  private schedule(): void {
    if (this.pending !== undefined || this.liveEdge?.reached === false) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      const frame = this.ready;
      if (frame === undefined) return;
      this.ready = undefined;
      this.send(frame);
    });
  }

  private send(frame: PictureFrame): void {
    // ffmpeg's log and its pictures travel apart: a count that runs ahead is no loss.
    const dropped = Math.max(0, this.decodedSinceSent - 1);
    this.decodedSinceSent = 0;
    this.on.deliver(dropped > 0 ? { ...frame, dropped } : frame);
  }
}

/**
 * Frame intervals a picture may trail the decoder by and still be live: one for the picture
 * that pushes it out, and more for the decoder's own threads and the log's travel.
 */
const STALE_AFTER = 4;
/** ... and never less than this, in ms, so that a slow event loop drops no live picture. */
const STALE_MIN_MS = 200;

interface FfmpegVersion {
  /** `ffmpeg 5.1.9`, as the program calls itself. */
  readonly name: string;
  /** Whether its concat demuxer takes per-input options (5.0 and later): the URL can stay off argv. */
  readonly takesInputList: boolean;
}

/** Asks the program for its version, once per source. */
function ffmpegVersion(program: string): Promise<FfmpegVersion> {
  return new Promise((resolve, reject) => {
    execFile(program, ['-hide_banner', '-version'], { timeout: 10_000 }, (error, stdout) => {
      if (error !== null) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          new RtspError(
            'CAPTURE_UNAVAILABLE',
            missing
              ? `ffmpeg was not found (${program === 'ffmpeg' ? 'looked for ffmpeg on PATH' : `no program at ${program}`}): install it (Debian and Ubuntu: apt-get install ffmpeg) or give its path as ffmpegPath`
              : `${program} -version failed: ${error.message}`,
          ),
        );
        return;
      }
      const numbers = /^ffmpeg version n?(\d+)\.(\d+)(?:\.(\d+))?/.exec(stdout);
      if (numbers === null) return resolve({ name: 'ffmpeg (a development build)', takesInputList: true });
      resolve({ name: `ffmpeg ${numbers.slice(1).filter(Boolean).join('.')}`, takesInputList: Number(numbers[1]) >= 5 });
    });
  });
}

/** What the end of an ffmpeg process means, from its exit and its last lines. */
function exitError(program: string, lines: readonly string[], code: number | null, signal: NodeJS.Signals | null): RtspError {
  if (signal !== null) return new RtspError('CAPTURE_CRASHED', `ffmpeg ended by ${signal}`);
  // The shell that starts ffmpeg says 127 when there is no such program, 126 when it cannot run it.
  if (code === 127 || code === 126) return new RtspError('CAPTURE_UNAVAILABLE', `could not run ${program}: ${lines.at(-1) ?? `exit code ${code}`}`);
  const { code: diagnosed, detail } = diagnose(lines);
  const because = (message: string) => (detail === undefined ? message : `${message}: ${detail}`);
  if (diagnosed !== undefined) return new RtspError(diagnosed, because('ffmpeg could not read the stream'));
  if (code === 0) return new RtspError('ENDED', because('the camera ended the stream'));
  const last = lines.filter((line) => /^\[(error|fatal)\]|\] \[(error|fatal)\]/.test(line)).at(-1);
  return new RtspError('CAPTURE_ERROR', `ffmpeg exited with code ${code}${last === undefined ? '' : `: ${last.replace(/ @ 0x[0-9a-f]+\]/i, ']')}`}`);
}
