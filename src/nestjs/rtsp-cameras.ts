import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { defer, filter, firstValueFrom, map, race, type Observable } from 'rxjs';
import type { Frame } from '../capture-source.js';
import type { ConnectionState } from '../connection-state.js';
import { cameraAddress } from '../camera-address.js';
import { checkStreamOptions, RTSP_STREAM_OPTION_RULES, RtspStream } from '../opencv/rtsp-stream.js';
import { checkOptions, checkValue, RULES } from '../validation.js';
import { CameraDemand } from '../camera-demand.js';
import { RTSP_MODULE_OPTIONS, type RtspCameraConfig, type RtspModuleOptions } from './rtsp-module-options.js';

/**
 * One camera as the application sees it: its streams and its newest frame, all from one
 * shared connection. Nothing here can close it; the module does that at shutdown.
 *
 * The camera's capture converts, encodes and sends pictures only while someone subscribes to
 * `frames$` or `latest$` or waits for a `snapshot()`; otherwise it only keeps the connection
 * up and watched. So a JPEG camera nobody looks at costs no encoding.
 *
 * @example
 * ```ts
 * const door: RtspCamera = cameras.get('door');
 * door.frames$.pipe(sampleTime(500)).subscribe(detect);
 * ```
 */
export type RtspCamera = Pick<RtspStream, 'connection$' | 'isConnected' | 'fps' | 'frameWidth' | 'frameHeight' | 'reconnectCount'> & {
  readonly name: string;
  /** Frames as they come, shared; the capture sends frames while anyone subscribes. */
  readonly frames$: Observable<Frame>;
  /** The newest frame at once, then each new one; never a frame from before you subscribed, when nobody else was taking them. */
  readonly latest$: Observable<Frame>;
  /** A fresh frame, asked of the capture for this call; `undefined` when the camera is not connected. */
  snapshot(): Promise<Frame | undefined>;
};

const CAMERA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const CAMERAS_RULE = { type: 'an object of cameras by name', isType: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) };

/** A camera's options: an RtspStream's, but for `demand$`, which the module drives. */
const { demand$: _demand, ...CAMERA_OPTION_RULES } = RTSP_STREAM_OPTION_RULES;

/**
 * The cameras of `RtspModule`, by name. Each camera opens when the module starts and keeps one
 * connection however many subscribers it has; every capture is released when the module is
 * destroyed (`app.close()`, or a signal with `enableShutdownHooks()`).
 *
 * @example
 * ```ts
 * // GET /door/state streams: data: {"status":"connected","since":1767225600000,"info":{"width":1920,...}}
 * @Controller('door')
 * class DoorController {
 *   constructor(@Inject(RtspCameras) private readonly cameras: RtspCameras) {}
 *   @Sse('state') state() {
 *     return this.cameras.get('door').connection$.pipe(map((state) => ({ data: connectionStateMessage(state) })));
 *   }
 * }
 * ```
 */
@Injectable()
export class RtspCameras implements OnModuleInit, OnModuleDestroy {
  readonly #cameras = new Map<string, { readonly stream: RtspStream; readonly view: RtspCamera }>();

  constructor(@Inject(RTSP_MODULE_OPTIONS) options: RtspModuleOptions) {
    checkOptions('RtspModule', options, { cameras: CAMERAS_RULE });
    checkValue('RtspModule', 'option cameras', options.cameras, CAMERAS_RULE);
    for (const [name, config] of Object.entries(options.cameras)) {
      const demand = new CameraDemand();
      const stream = this.#open(name, config, demand);
      this.#cameras.set(name, { stream, view: cameraView(name, stream, demand) });
    }
  }

  /** The camera names, in configuration order. */
  get names(): readonly string[] {
    return [...this.#cameras.keys()];
  }

  /** The camera called `name`; a `NotFoundException` (HTTP 404) for any other name. */
  get(name: string): RtspCamera {
    const camera = this.#cameras.get(name);
    if (camera === undefined) throw new NotFoundException(`no camera named ${JSON.stringify(name)}; the cameras are ${this.names.join(', ')}`);
    return camera.view;
  }

  /** Frames of the camera called `name`, shared with every other subscriber. */
  frames$(name: string): Observable<Frame> {
    return this.get(name).frames$;
  }

  /** The connection state of the camera called `name`; a newcomer gets the current one at once. */
  connection$(name: string): Observable<ConnectionState> {
    return this.get(name).connection$;
  }

  onModuleInit(): void {
    for (const { stream } of this.#cameras.values()) stream.start();
  }

  onModuleDestroy(): void {
    for (const { stream } of this.#cameras.values()) stream.stop();
  }

  #open(name: string, config: RtspCameraConfig, demand: CameraDemand): RtspStream {
    if (!CAMERA_NAME.test(name)) throw new RangeError(`rtsp-rx: camera name ${JSON.stringify(name)} must be 1 to 64 letters, digits, - or _`);
    if (typeof config !== 'object' || config === null) throw new TypeError(`rtsp-rx: camera ${name} must be an object with a url; got ${String(config)}`);
    const context = `RtspModule camera ${name}`;
    checkValue(context, 'camera', config, RULES.strings('url'));
    const { url, ...options } = config;
    // Checked here too, so that a mistake names the camera.
    checkStreamOptions(context, options, CAMERA_OPTION_RULES);
    cameraAddress(context, url);
    return new RtspStream(url, { logger: nestLogger(new Logger(`RtspCameras:${name}`)), ...options, demand$: demand.demand$ });
  }
}

function cameraView(name: string, stream: RtspStream, demand: CameraDemand): RtspCamera {
  const latest$ = defer(() => {
    // While nobody took frames the capture sent none: the frame latest$ replays may be old.
    const staleUpTo = demand.idle ? (stream.read()?.sequence ?? 0) : 0;
    return demand.taking(stream.latest$.pipe(filter((frame) => frame.sequence > staleUpTo)));
  });
  const down$ = stream.connection$.pipe(
    filter((state) => state.status !== 'connected'),
    map(() => undefined),
  );
  return {
    name,
    frames$: demand.taking(stream.frames$),
    connection$: stream.connection$,
    latest$,
    snapshot: () => firstValueFrom(race(latest$, down$), { defaultValue: undefined }),
    get isConnected() {
      return stream.isConnected;
    },
    get fps() {
      return stream.fps;
    },
    get frameWidth() {
      return stream.frameWidth;
    },
    get frameHeight() {
      return stream.frameHeight;
    },
    get reconnectCount() {
      return stream.reconnectCount;
    },
  };
}

/** rtsp-rx's log lines through Nest's logger, so they land where the application's do. */
const nestLogger = (logger: Logger) => ({
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.log(message),
  warn: (message: string) => logger.warn(message),
  error: (message: string) => logger.error(message),
});
