import { asyncScheduler, combineLatest, distinctUntilChanged, map, ReplaySubject, takeUntil, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { match } from 'ts-pattern';
import type { CaptureSource, Frame, StreamInfo } from '../capture-source.js';
import { givingUpError, type ConnectionState } from '../connection-state.js';
import type { RtspError } from '../errors.js';
import { latestFrameReader, type LatestFrameReader } from '../latest-frame-reader.js';
import { debugLogger, type Logger } from '../logger.js';
import { cameraAddress } from '../camera-address.js';
import { CameraDemand } from '../camera-demand.js';
import { ReadDemand } from '../read-demand.js';
import { CONNECTION_OPTION_RULES, resolveOptions, type RtspConnectionOptions } from '../options.js';
import { sharedConnection, type RtspConnection } from '../rtsp-connection.js';
import { checkOptions, pickOptions, RULES, type Rule } from '../validation.js';
import { CAPTURE_OPTION_RULES, opencvCaptureSource, type OpencvCaptureOptions } from './opencv-capture-source.js';

/**
 * Options of {@link RtspStream}: the seed's, in TypeScript's spelling, and ours. Times in
 * milliseconds.
 *
 * @example
 * ```ts
 * const options: RtspStreamOptions = { reconnectDelay: 1000, reconnectBackoff: 2, maxReconnectAttempts: 10, onConnect: console.log };
 * ```
 */
export interface RtspStreamOptions extends Omit<RtspConnectionOptions, 'source'>, Omit<OpencvCaptureOptions, 'log'> {
  /** Called each time a connection opens, with the stream's info. */
  readonly onConnect?: (info: StreamInfo) => void;
  /** Called each time an open connection drops, with why. */
  readonly onDisconnect?: (cause: RtspError) => void;
  /**
   * Called once when rtsp-rx gives up: with a `ReconnectExhaustedError` when
   * `maxReconnectAttempts` reconnects in a row have failed, or with the error itself when no
   * reconnect can cure it (`UNAUTHORIZED`, `NOT_FOUND`, ...).
   */
  readonly onReconnectFailure?: (error: RtspError) => void;
  /** Username and password, kept out of every log, error and command line. They replace any in the URL. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /**
   * The seed's `buffer_size`. OpenCV's FFmpeg backend ignores it (its own buffering is what the
   * capture process drains), so it is accepted and does nothing; the log says so.
   */
  readonly bufferSize?: number;
  /** The capture source. Default: {@link opencvCaptureSource} with the capture options above. */
  readonly source?: CaptureSource;
}

const { log: _captureLog, ...STREAM_CAPTURE_RULES } = CAPTURE_OPTION_RULES;
const { source: _source, ...STREAM_CONNECTION_RULES } = CONNECTION_OPTION_RULES;

/** The rule of each option of {@link RtspStream}: the connection's, the OpenCV capture's, and its own. */
export const RTSP_STREAM_OPTION_RULES = {
  ...STREAM_CONNECTION_RULES,
  ...STREAM_CAPTURE_RULES,
  onConnect: RULES.function,
  onDisconnect: RULES.function,
  onReconnectFailure: RULES.function,
  credentials: RULES.strings('username', 'password'),
  bufferSize: RULES.wholeAbove0,
  source: CONNECTION_OPTION_RULES.source,
} as const satisfies Record<keyof RtspStreamOptions, Rule>;

/**
 * Checks the options of an {@link RtspStream} against `rules` (its own, or fewer where a
 * caller drives some): capture options beside a `source` are a mistake, for it would ignore them.
 *
 * @throws TypeError or RangeError naming `context` and the option.
 */
export function checkStreamOptions(context: string, options: RtspStreamOptions, rules: Partial<typeof RTSP_STREAM_OPTION_RULES>): void {
  checkOptions(context, options, rules);
  const captureOptions = Object.keys(pickOptions(options, STREAM_CAPTURE_RULES));
  if (options.source !== undefined && captureOptions.length > 0) {
    throw new TypeError(`rtsp-rx: ${context}: options ${captureOptions.join(', ')} configure the OpenCV capture, which the source option replaces: give them to that source instead`);
  }
}

/**
 * The `VideoStream` of Python's rtsp-stream, imutils and vidgear, on the reactive core:
 * `start()`, `read()` the newest frame, `stop()`. The same connection is there as streams
 * (`frames$`, `connection$`, `latest$`) for when you grow into RxJS.
 *
 * @example
 * ```ts
 * const stream = new RtspStream('rtsp://127.0.0.1:8554/cam', { onConnect: (info) => console.log(`connected ${info.width}x${info.height}`) }).start();
 * setInterval(() => console.log(stream.read()?.sequence, stream.fps, stream.isConnected), 1000);
 * // connected 1920x1080, then: 25 25 true, 50 25 true, ...
 * ```
 */
export class RtspStream implements AsyncDisposable {
  /** Frames as they come, shared with `read()`. Completes at `stop()`. */
  readonly frames$: Observable<Frame>;
  /** The connection's state; a newcomer gets the current one at once. Completes at `stop()`. */
  readonly connection$: Observable<ConnectionState>;
  /** Frames, where a newcomer gets the newest frame at once. Completes at `stop()`. */
  readonly latest$: Observable<Frame>;

  readonly #connection: RtspConnection;
  readonly #logger: Logger;
  readonly #options: RtspStreamOptions;
  readonly #safeUrl: string;
  #phase: 'new' | 'started' | 'stopped' = 'new';
  /** Replays, so that a subscription made after `stop()` completes at once instead of reopening. */
  readonly #stopped = new ReplaySubject<void>(1);
  #reader: LatestFrameReader | undefined;
  #watcher: Subscription | undefined;
  #info: StreamInfo | undefined;
  #reconnects = 0;
  /** Reads that keep frames wanted; none when the caller drives demand$. */
  readonly #reads: ReadDemand | undefined;
  /** Whether frames are wanted, when this stream drives it. */
  readonly #demand$: Observable<boolean> | undefined;
  /** The newest frame when frames were last wanted again: from before the pause, so never read(). */
  #stale: Frame | undefined;

  /**
   * @throws TypeError or RangeError naming the option, for a bad URL or option; TypeError for
   * capture options given together with a `source`, which would ignore them.
   */
  constructor(url: string, options: RtspStreamOptions = {}, scheduler: SchedulerLike = asyncScheduler) {
    checkStreamOptions('RtspStream', options, RTSP_STREAM_OPTION_RULES);
    const address = cameraAddress('RtspStream', url, options.credentials);
    this.#options = options;
    this.#logger = options.logger ?? debugLogger;
    const captureOptions = pickOptions(options, STREAM_CAPTURE_RULES);
    const source = options.source ?? opencvCaptureSource({ ...captureOptions, log: (line) => this.#logger.debug(line) });
    // Unless the caller drives demand$: frames are wanted while anyone takes frames$ or latest$,
    // or reads them (see read()).
    const takers = options.demand$ === undefined ? new CameraDemand() : undefined;
    this.#reads = takers === undefined ? undefined : new ReadDemand(scheduler);
    this.#demand$ =
      takers === undefined || this.#reads === undefined
        ? undefined
        : combineLatest([takers.demand$, this.#reads.demand$]).pipe(
            map(([taking, reading]) => taking || reading),
            distinctUntilChanged(),
          );
    const connectionOptions: RtspConnectionOptions = { ...pickOptions(options, STREAM_CONNECTION_RULES), source, logger: this.#logger, ...(this.#demand$ === undefined ? {} : { demand$: this.#demand$ }) };
    this.#connection = sharedConnection(resolveOptions('RtspStream', address, connectionOptions, scheduler), scheduler);
    this.#safeUrl = address.redacted;
    const taken = <T>(view$: Observable<T>): Observable<T> => (takers === undefined ? view$ : takers.taking(view$));
    // stop() releases the camera even while others still subscribe: their streams complete.
    this.frames$ = taken(this.#connection.frames$).pipe(takeUntil(this.#stopped));
    this.connection$ = this.#connection.connection$.pipe(takeUntil(this.#stopped));
    this.latest$ = taken(this.#connection.latest$).pipe(takeUntil(this.#stopped));
    if (options.bufferSize !== undefined) this.#logger.info(`bufferSize ${options.bufferSize} has no effect: OpenCV's FFmpeg backend ignores it, and rtsp-rx always hands out the newest frame`);
  }

  /** Opens the camera in the background. Returns the stream; calling it again does nothing. */
  start(): this {
    if (this.#phase === 'stopped') throw new Error('rtsp-rx: this RtspStream was stopped and cannot start again; create a new RtspStream');
    if (this.#phase === 'started') return this;
    this.#phase = 'started';
    this.#logger.info(`opening ${this.#safeUrl}`);
    // Starting is the first read: frames come at once for whoever polls.
    this.#reads?.read();
    this.#reader = latestFrameReader(this.#connection.events$);
    let previous: ConnectionState | undefined;
    this.#watcher = this.#connection.connection$.subscribe((state) => {
      this.#report(previous, state);
      previous = state;
    });
    // While nobody wanted frames none came: the newest one held then is no fresh frame later.
    this.#watcher.add(this.#demand$?.subscribe((wanted) => (this.#stale = wanted ? this.#reader?.read() : undefined)));
    return this;
  }

  /** Releases the camera and everything it holds. Calling it again does nothing. */
  stop(): void {
    if (this.#phase === 'stopped') return;
    this.#phase = 'stopped';
    this.#watcher?.unsubscribe();
    this.#reader?.close();
    this.#stopped.next();
    this.#stopped.complete();
    this.#logger.info(`closed ${this.#safeUrl}`);
  }

  /**
   * The newest frame while connected; `undefined` before the first frame, during an outage, and
   * after `stop()`. Unless `demand$` is given, reading keeps frames coming for 10 s, or three
   * times the gap between your last two reads (up to 5 minutes); once nobody has read, or
   * subscribed to `frames$` or `latest$`, for that long, the capture converts and sends
   * nothing, and the next read returns `undefined` until a fresh frame arrives, a few hundred
   * milliseconds later: never the frame from before the pause.
   */
  read(): Frame | undefined {
    if (this.#phase !== 'started') return undefined;
    this.#reads?.read();
    const frame = this.#reader?.read();
    return frame === this.#stale ? undefined : frame;
  }

  /** True while the camera is connected. */
  get isConnected(): boolean {
    return this.#phase === 'started' && this.#reader?.isConnected === true;
  }

  /** The stream's frame rate as it announces it; `undefined` until it connects. */
  get fps(): number | undefined {
    return this.#info?.fps;
  }

  /** Width of the frames delivered; `undefined` until it connects. */
  get frameWidth(): number | undefined {
    return this.#info?.width;
  }

  /** Height of the frames delivered; `undefined` until it connects. */
  get frameHeight(): number | undefined {
    return this.#info?.height;
  }

  /** How many reconnect attempts were made since `start()`. */
  get reconnectCount(): number {
    return this.#reconnects;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.stop();
  }

  /** What `JSON.stringify` and `util.inspect` show: never the URL's password. */
  toJSON(): object {
    return { url: this.#safeUrl, isConnected: this.isConnected, fps: this.fps, frameWidth: this.frameWidth, frameHeight: this.frameHeight, reconnectCount: this.reconnectCount };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RtspStream ${JSON.stringify(this.toJSON())}`;
  }

  /** Calls the callback that matches a change of state, in the order the states come (the core logs them). */
  #report(previous: ConnectionState | undefined, state: ConnectionState): void {
    match(state)
      .with({ status: 'connecting' }, ({ attempt }) => {
        if (attempt > 0) this.#reconnects++;
      })
      .with({ status: 'connected' }, ({ info }) => {
        this.#info = info;
        this.#call('onConnect', () => this.#options.onConnect?.(info));
      })
      .with({ status: 'reconnecting' }, ({ cause }) => this.#dropped(previous, cause))
      .with({ status: 'failed' }, (failed) => {
        this.#dropped(previous, failed.cause);
        this.#call('onReconnectFailure', () => this.#options.onReconnectFailure?.(givingUpError(failed)));
      })
      .with({ status: 'closed' }, () => undefined)
      .exhaustive();
  }

  #dropped(previous: ConnectionState | undefined, cause: RtspError): void {
    if (previous?.status !== 'connected') return;
    this.#call('onDisconnect', () => this.#options.onDisconnect?.(cause));
  }

  /** A callback that throws is logged; it never stops the stream. */
  #call(name: string, callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.#logger.error(`${name} threw, and the stream goes on: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
}
