import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { asyncScheduler, type Observable } from 'rxjs';
import type { Frame } from '../capture-source.js';
import { redactUrl } from '../camera-address.js';
import type { ConnectionState } from '../connection-state.js';
import { CAPTURE_OPTION_RULES, opencvCaptureSource } from '../opencv/opencv-capture-source.js';
import { cameraRegistry, type CameraConfig, type RegisteredCamera, type RtspCameraRegistry } from '../rtsp-cameras.js';
import { checkStreamOptions, RTSP_STREAM_OPTION_RULES } from '../opencv/rtsp-stream.js';
import { checkOptions, checkValue, pickOptions, RULES } from '../validation.js';
import { RTSP_MODULE_OPTIONS, type RtspCameraConfig, type RtspModuleOptions } from './rtsp-module-options.js';

/**
 * One camera as the application sees it: a camera of the registry, with the figures of the
 * seed's `VideoStream` read off its metrics. Nothing here can close it; the module does that
 * at shutdown.
 *
 * The camera's capture converts, encodes and sends pictures only while someone subscribes to
 * `frames$` or `latest$` or waits for a `snapshot()`; otherwise it only keeps the connection
 * up and watched. So a JPEG camera nobody looks at costs no encoding.
 *
 * @example
 * ```ts
 * const door: RtspCamera = cameras.get('door');
 * door.frames$.pipe(sampleTime(500)).subscribe(detect);
 * console.log(door.isConnected, door.fps, door.metrics.frames); // true 25 1500
 * ```
 */
export interface RtspCamera extends RegisteredCamera {
  readonly isConnected: boolean;
  /** Frames per second the stream announces; `undefined` until connected. */
  readonly fps: number | undefined;
  readonly frameWidth: number | undefined;
  readonly frameHeight: number | undefined;
  readonly reconnectCount: number;
}

const MODULE_RULES = {
  source: RULES.methods('open'),
  cameras: { type: 'an object of cameras by name', isType: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) },
};
const { log: _log, ...CAMERA_CAPTURE_RULES } = CAPTURE_OPTION_RULES;
/** A camera's options: an `RtspStream`'s, but for `demand$`, which the registry drives, and the callbacks, for which there is `connection$`. */
const { demand$: _demand, onConnect: _onConnect, onDisconnect: _onDisconnect, onReconnectFailure: _onReconnectFailure, bufferSize: _bufferSize, ...CAMERA_RULES } = RTSP_STREAM_OPTION_RULES;

/**
 * The cameras of `RtspModule`, by name: an adapter over the registry ({@link rtspCameras}), one
 * connection per camera, open from start-up and released when the module is destroyed
 * (`app.close()`, or a signal with `enableShutdownHooks()`). Cameras can be added, changed and
 * removed while the application runs.
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
export class RtspCameras implements OnModuleDestroy {
  readonly #registry: RtspCameraRegistry;
  readonly #cameras = new Map<string, { readonly camera: RtspCamera; readonly address: string }>();

  constructor(@Inject(RTSP_MODULE_OPTIONS) options: RtspModuleOptions) {
    checkOptions('RtspModule', options, MODULE_RULES);
    checkValue('RtspModule', 'option cameras', options.cameras, MODULE_RULES.cameras);
    this.#registry = cameraRegistry('RtspModule', { source: options.source ?? opencvCaptureSource() }, asyncScheduler);
    try {
      for (const [name, config] of Object.entries(options.cameras)) this.add(name, config);
    } catch (error) {
      this.#registry.close();
      throw error;
    }
  }

  /** The camera names, in the order they were added. */
  get names(): readonly string[] {
    return this.#registry.names;
  }

  /** The names now, and after each change. */
  get names$(): Observable<readonly string[]> {
    return this.#registry.names$;
  }

  /** The camera called `name`; a `NotFoundException` (HTTP 404) for any other name. */
  get(name: string): RtspCamera {
    const entry = this.#cameras.get(name);
    if (entry === undefined) throw new NotFoundException(`no camera named ${JSON.stringify(name)}; the cameras are ${this.names.join(', ')}`);
    return entry.camera;
  }

  /** Frames of the camera called `name`, shared with every other subscriber. */
  frames$(name: string): Observable<Frame> {
    return this.get(name).frames$;
  }

  /** The connection state of the camera called `name`; a newcomer gets the current one at once. */
  connection$(name: string): Observable<ConnectionState> {
    return this.get(name).connection$;
  }

  /** Adds a camera while the application runs; a `RangeError` for a taken or bad name. */
  add(name: string, config: RtspCameraConfig): RtspCamera {
    const camera = withSeedFigures(this.#registry.add(name, cameraConfig(name, config)));
    this.#cameras.set(name, { camera, address: redactUrl(config.url) });
    return camera;
  }

  /** Opens the camera anew with this config; its subscribers go on over the new connection. */
  update(name: string, config: RtspCameraConfig): void {
    this.#registry.update(name, cameraConfig(name, config));
  }

  /** Releases the camera: its streams complete. */
  remove(name: string): void {
    this.#registry.remove(name);
    nestLogger(name).info(`closed ${this.#cameras.get(name)?.address}`);
    this.#cameras.delete(name);
  }

  onModuleDestroy(): void {
    for (const name of this.names) this.remove(name);
    this.#registry.close();
  }
}

/**
 * The registry's config of a camera: the OpenCV capture options, where given, become the
 * camera's own capture source; its log lines go through Nest's logger.
 */
function cameraConfig(name: string, config: RtspCameraConfig): CameraConfig {
  // Anything but an object the registry names.
  if (typeof config !== 'object' || config === null) return config;
  const { url, ...options } = config;
  checkStreamOptions(`RtspModule camera ${name}`, options, CAMERA_RULES);
  const capture = pickOptions(options, CAMERA_CAPTURE_RULES);
  const connection = Object.fromEntries(Object.entries(options).filter(([option]) => !(option in CAMERA_CAPTURE_RULES)));
  return { logger: nestLogger(name), ...connection, url, ...(Object.keys(capture).length === 0 ? {} : { source: opencvCaptureSource(capture) }) };
}

function withSeedFigures(camera: RegisteredCamera): RtspCamera {
  const info = () => (camera.metrics.state.status === 'connected' ? camera.metrics.state.info : undefined);
  return {
    name: camera.name,
    frames$: camera.frames$,
    latest$: camera.latest$,
    connection$: camera.connection$,
    metrics$: camera.metrics$,
    snapshot: () => camera.snapshot(),
    get metrics() {
      return camera.metrics;
    },
    get isConnected() {
      return camera.metrics.state.status === 'connected';
    },
    get fps() {
      return info()?.fps;
    },
    get frameWidth() {
      return info()?.width;
    },
    get frameHeight() {
      return info()?.height;
    },
    get reconnectCount() {
      return camera.metrics.reconnects;
    },
  };
}

/** rtsp-rx's log lines through Nest's logger, so they land where the application's do. */
function nestLogger(name: string) {
  const logger = new Logger(`RtspCameras:${name}`);
  return {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.log(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string) => logger.error(message),
  };
}
