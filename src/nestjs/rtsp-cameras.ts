import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Frame } from '../capture-source.js';
import type { ConnectionState } from '../connection-state.js';
import { RtspStream } from '../opencv/rtsp-stream.js';
import { RTSP_MODULE_OPTIONS, type RtspCameraConfig, type RtspModuleOptions } from './rtsp-module-options.js';

/**
 * One camera as the application sees it: its streams and the newest frame, all from one
 * shared connection. Nothing here can close it; the module does that at shutdown.
 *
 * @example
 * ```ts
 * const door: RtspCamera = cameras.get('door');
 * door.frames$.pipe(sampleTime(500)).subscribe(detect);
 * ```
 */
export type RtspCamera = Pick<RtspStream, 'frames$' | 'connection$' | 'latest$' | 'read' | 'isConnected' | 'fps' | 'frameWidth' | 'frameHeight' | 'reconnectCount'> & {
  readonly name: string;
};

const CAMERA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The cameras of `RtspModule`, by name. Each camera opens when the module starts and keeps one
 * connection however many subscribers it has; every capture is released when the module is
 * destroyed (`app.close()`, or a signal with `enableShutdownHooks()`).
 *
 * @example
 * ```ts
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
  readonly #streams = new Map<string, RtspStream>();

  constructor(@Inject(RTSP_MODULE_OPTIONS) options: RtspModuleOptions) {
    if (typeof options !== 'object' || options === null || typeof options.cameras !== 'object' || options.cameras === null) {
      throw new TypeError(`rtsp-rx: option cameras must be an object of cameras by name; got ${options === null || typeof options !== 'object' ? String(options) : String(options.cameras)}`);
    }
    for (const [name, config] of Object.entries(options.cameras)) this.#streams.set(name, this.#open(name, config));
  }

  /** The camera names, in configuration order. */
  get names(): readonly string[] {
    return [...this.#streams.keys()];
  }

  /** The camera called `name`; a `NotFoundException` (HTTP 404) for any other name. */
  get(name: string): RtspCamera {
    const stream = this.#streams.get(name);
    if (stream === undefined) throw new NotFoundException(`no camera named ${JSON.stringify(name)}; the cameras are ${this.names.join(', ')}`);
    return cameraView(name, stream);
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
    for (const stream of this.#streams.values()) stream.start();
  }

  onModuleDestroy(): void {
    for (const stream of this.#streams.values()) stream.stop();
  }

  #open(name: string, config: RtspCameraConfig): RtspStream {
    if (!CAMERA_NAME.test(name)) throw new RangeError(`rtsp-rx: camera name ${JSON.stringify(name)} must be 1 to 64 letters, digits, - or _`);
    if (typeof config !== 'object' || config === null) throw new TypeError(`rtsp-rx: camera ${name} must be an object with a url; got ${String(config)}`);
    const { url, ...options } = config;
    try {
      return new RtspStream(url, { logger: nestLogger(new Logger(`RtspCameras:${name}`)), ...options });
    } catch (error) {
      // Same type, with the camera named: "option reconnectDelay" alone does not say which camera.
      if (error instanceof TypeError || error instanceof RangeError) {
        throw new (error.constructor as ErrorConstructor)(error.message.replace(/^rtsp-rx: /, `rtsp-rx: camera ${name}: `));
      }
      throw error;
    }
  }
}

function cameraView(name: string, stream: RtspStream): RtspCamera {
  return {
    name,
    frames$: stream.frames$,
    connection$: stream.connection$,
    latest$: stream.latest$,
    read: () => stream.read(),
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
