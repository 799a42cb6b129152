import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { Observable } from 'rxjs';
import { match } from 'ts-pattern';
import type { CaptureEvent, CaptureRequest, CaptureSource } from '../capture-source.js';
import { RtspError } from '../errors.js';
import { diagnose } from '../capture/ffmpeg-diagnosis.js';
import { frameSocketPair } from '../capture/frame-socket.js';
import { overTransport } from '../capture/transport-fallback.js';
import { debugLogger } from '../logger.js';
import { CAPTURE_PROCESS, CAPTURE_PROCESS_NODE_ARGS } from './capture-process-location.js';
import type { CaptureSettings } from './capture-settings.js';
import { MessageDecoder, type CaptureMessage } from './frame-protocol.js';
import { checkOptions, RULES, type Rule } from '../validation.js';
import { CAPTURE_RULES, type CaptureOptions } from '../capture/capture-options.js';

/**
 * Options of {@link opencvCaptureSource}: those of both sources, and OpenCV's own.
 *
 * @example
 * ```ts
 * // Every frame, for a recorder, with room for 2 s of them:
 * const recorder: OpencvCaptureOptions = { delivery: 'queue', queueSize: 50 };
 * ```
 */
export interface OpencvCaptureOptions extends CaptureOptions {
  /** OpenCV backend. Default `ffmpeg`; `any` lets OpenCV try GStreamer first, which can take 50 s to fail. */
  readonly backend?: 'ffmpeg' | 'any';
  /** Frames the `queue` delivery holds at most, dropping the oldest when full. Default 50. */
  readonly queueSize?: number;
}

/** Lines of the capture's own output kept to explain a failure. */
const NATIVE_LINES_KEPT = 30;

/**
 * The OpenCV capture source: each attempt runs in a process of its own, which loads
 * `@u4/opencv4nodejs`, opens the camera with FFmpeg over TCP, and streams frames to the
 * application over a pipe. A camera that hangs, floods or crashes takes that process with it,
 * never the application's event loop, libuv pool or heap; unsubscribing kills the process.
 *
 * @throws TypeError or RangeError naming the option, for a bad option.
 *
 * @example
 * ```ts
 * import { rtspFrames$ } from 'rtsp-rx';
 * import { opencvCaptureSource } from 'rtsp-rx/opencv';
 *
 * rtspFrames$('rtsp://127.0.0.1:8554/cam', { source: opencvCaptureSource({ maxFps: 5, pixelFormat: 'rgb' }) })
 *   .subscribe((frame) => console.log(frame.sequence, frame.width, frame.height)); // 1 1920 1080, 2 1920 1080, ...
 * ```
 */
export function opencvCaptureSource(options: OpencvCaptureOptions = {}): CaptureSource {
  const settings = captureSettings(options);
  const log = options.log ?? debugLogger.debug;
  return overTransport(options.transport ?? 'auto', (request, transport) => captureAttempt(request, settings(transport), log), log);
}

function captureAttempt(
  request: CaptureRequest,
  settings: Omit<CaptureSettings, 'url'>,
  log: (line: string) => void,
): Observable<CaptureEvent> {
  return new Observable<CaptureEvent>((subscriber) => {
    const { scrub } = request.address;
    const nativeLines: string[] = [];
    let failure: Extract<CaptureMessage, { type: 'failed' }> | undefined;

    // The settings grant the first frame; each further one is asked for while frames are wanted.
    let wanted = true;
    let awaiting = true;
    let released = false;
    let child: ChildProcess | undefined;
    let frames: Socket | undefined;
    const ask = (): void => {
      if (!wanted || awaiting || child?.stdin?.writable !== true) return;
      awaiting = true;
      child.stdin.write('{"type":"credit","frames":1}\n');
    };

    const decoder = new MessageDecoder((message) =>
      match(message)
        .with({ type: 'opened' }, ({ info }) => {
          // What explains a later failure comes after this: older lines are history.
          nativeLines.length = 0;
          subscriber.next({ type: 'opened', info: { ...info, pid: child?.pid } });
        })
        .with({ type: 'heartbeat' }, (heartbeat) => subscriber.next(heartbeat))
        .with({ type: 'frame' }, ({ frame }) => {
          nativeLines.length = 0;
          awaiting = false;
          subscriber.next({ type: 'frame', frame });
          ask();
        })
        .with({ type: 'failed' }, (failed) => void (failure = failed))
        .exhaustive(),
    );

    const start = async (): Promise<void> => {
      const pair = await frameSocketPair(decoder);
      if (released) {
        pair.inner.destroy();
        pair.reader.destroy();
        return;
      }
      frames = pair.reader;
      frames.on('error', () => undefined);
      const spawned = spawn(process.execPath, [...CAPTURE_PROCESS_NODE_ARGS, CAPTURE_PROCESS], {
        stdio: ['pipe', 'pipe', 'pipe', pair.inner],
        windowsHide: true,
      });
      child = spawned;
      pair.inner.destroy();
      const control = spawned.stdin as Writable;
      // A capture that died leaves a broken pipe behind; its exit tells the story.
      control.on('error', () => undefined);
      control.write(`${JSON.stringify({ ...settings, url: request.address.url } satisfies CaptureSettings)}\n`);

      for (const stream of [spawned.stdout, spawned.stderr] as Readable[]) {
        createInterface({ input: stream, crlfDelay: Infinity }).on('line', (raw) => {
          const line = scrub(stripVTControlCharacters(raw));
          log(`capture ${spawned.pid}: ${line}`);
          nativeLines.push(line);
          if (nativeLines.length > NATIVE_LINES_KEPT) nativeLines.shift();
          // OpenCV's scaler cannot follow a new picture size and would go on handing out the
          // old size; a new capture opens at the new one.
          if (SCALER_LOST.test(line)) subscriber.error(new RtspError('STREAM_CHANGED', `the picture size changed mid-stream: ${line}`));
        });
      }
      spawned.once('error', (error) => subscriber.error(new RtspError('CAPTURE_ERROR', `could not start the capture process: ${error.message}`)));
      // Its last word comes on the frame socket, which ends only once that word is read.
      const ended = once(frames, 'close');
      const [code, signal] = (await once(spawned, 'close')) as [number | null, NodeJS.Signals | null];
      await ended;
      subscriber.error(exitError(failure, nativeLines, code, signal));
    };
    start().catch((error: unknown) => subscriber.error(new RtspError('CAPTURE_ERROR', `could not start the capture process: ${error instanceof Error ? error.message : String(error)}`)));

    // While nobody wants frames the capture process only decodes; the newest picture goes out
    // as soon as they are wanted again. The first frame of each attempt is sent regardless: it
    // proves the camera works.
    const demand = request.demand$.subscribe({
      next: (value) => {
        wanted = value;
        ask();
      },
      error: (error: unknown) => subscriber.error(new RtspError('CAPTURE_ERROR', `demand$ failed: ${error instanceof Error ? error.message : String(error)}`)),
    });

    return () => {
      released = true;
      demand.unsubscribe();
      if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      for (const stream of [child?.stdin, frames, child?.stdout, child?.stderr]) stream?.destroy();
    };
  });
}

/** What a capture process's end means, from its last word and the native messages since its last frame. */
function exitError(
  failure: Extract<CaptureMessage, { type: 'failed' }> | undefined,
  nativeLines: readonly string[],
  code: number | null,
  signal: NodeJS.Signals | null,
): RtspError {
  if (signal !== null) return new RtspError('CAPTURE_CRASHED', `the capture process ended by ${signal}`);
  const { code: diagnosed, detail } = diagnose(nativeLines);
  const because = (message: string) => (detail === undefined ? message : `${message}: ${detail}`);
  if (diagnosed !== undefined && failure?.code !== 'CAPTURE_UNAVAILABLE') return new RtspError(diagnosed, because(failure?.message ?? 'the capture failed'));
  if (failure !== undefined) return new RtspError(failure.code, because(failure.message));
  return new RtspError('CAPTURE_CRASHED', because(`the capture process exited with code ${code}`));
}

const SCALER_LOST = /swscaler.*Slice parameters \d+, \d+ are invalid/;

/** The rule of each option of {@link opencvCaptureSource}. */
export const CAPTURE_OPTION_RULES = {
  ...CAPTURE_RULES,
  backend: RULES.oneOf('ffmpeg', 'any'),
  queueSize: RULES.wholeAbove0,
} as const satisfies Record<keyof OpencvCaptureOptions, Rule>;

/** Checks the options once, and gives the settings of a capture over either transport. */
function captureSettings(options: OpencvCaptureOptions): (transport: 'tcp' | 'udp') => Omit<CaptureSettings, 'url'> {
  checkOptions('opencvCaptureSource', options, CAPTURE_OPTION_RULES);
  const ioTimeout = options.ioTimeout ?? 10_000;
  return (transport) => ({
    backend: options.backend ?? 'ffmpeg',
    // Not fflags nobuffer, nor a smaller probe: without the probed packets decoding starts
    // mid-GOP and H.265 hands out smeared pictures until the next keyframe, and a camera with
    // a sound track first probed is never decoded at all. The capture process holds back the
    // stale pictures instead (live-edge.ts; tested in test/opencv/fresh-start.test.ts).
    ffmpegOptions: `rtsp_transport;${transport}|timeout;${Math.round(ioTimeout * 1000)}`,
    pixelFormat: options.pixelFormat ?? 'bgr',
    jpegQuality: options.jpegQuality ?? 80,
    size: options.size,
    maxFps: options.maxFps,
    delivery: options.delivery ?? 'latest',
    queueSize: options.queueSize ?? 50,
    // One frame in flight: a second one would wait in the pipe, ageing, while a slow consumer
    // works (measured: 300-340 ms old frames for a 300 ms consumer with two, fresh with one).
    initialCredit: 1,
    emptyReadsBeforeEnd: 50,
  });
}
