import { asyncScheduler, BehaviorSubject, catchError, EMPTY, filter, firstValueFrom, map, race, ReplaySubject, Subject, switchMap, takeUntil, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { cameraAddress } from './camera-address.js';
import { CameraDemand } from './camera-demand.js';
import type { CaptureSource, Frame } from './capture-source.js';
import type { ConnectionState } from './connection-state.js';
import { cameraMetrics, type CameraMetrics } from './operators/camera-metrics.js';
import { CONNECTION_OPTION_RULES, type RtspConnectionOptions } from './options.js';
import { connectionOf, type RtspConnection } from './rtsp-connection.js';
import { checkOptions, checkValue, RULES } from './validation.js';

/** One camera of {@link rtspCameras}: its URL, and a connection's options; `source` defaults to the registry's. */
export interface CameraConfig extends Omit<RtspConnectionOptions, 'source' | 'demand$'> {
  readonly url: string;
  readonly source?: CaptureSource;
  /** Username and password, kept out of every log, error and command line. They replace any in the URL. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

/**
 * One camera of the registry: its streams follow the camera through {@link RtspCameraRegistry.update}
 * and complete when it is removed.
 *
 * @example
 * ```ts
 * const door: RegisteredCamera = cameras.get('door');
 * door.latest$.pipe(sampleTime(500)).subscribe(detect);
 * ```
 */
export interface RegisteredCamera extends Pick<RtspConnection, 'frames$' | 'latest$' | 'connection$'> {
  readonly name: string;
  /** The camera's metrics now, counted since it was added, across updates. */
  readonly metrics: CameraMetrics;
  /** The metrics now, after every state change and frame, and once a second. Completes when the camera is removed. */
  readonly metrics$: Observable<CameraMetrics>;
  /** A fresh frame, asked of the capture for this call; `undefined` when the camera is not connected. */
  snapshot(): Promise<Frame | undefined>;
}

/**
 * Cameras by name, changed at runtime. Each camera keeps one connection open while it is
 * registered (so its state is always known), and converts and sends frames only while someone
 * takes `frames$` or `latest$` or waits for a `snapshot()`.
 *
 * @example
 * ```ts
 * const cameras = rtspCameras({ source: ffmpegCaptureSource(), cameras: { door: { url: 'rtsp://127.0.0.1:8554/door' } } });
 * cameras.add('yard', { url: 'rtsp://127.0.0.1:8554/yard', stallTimeout: 3000 });
 * cameras.names$.subscribe((names) => console.log(names)); // ['door', 'yard']
 * cameras.remove('door'); // ['yard']: door's streams complete, its capture is released
 * ```
 */
export interface RtspCameraRegistry {
  /** The camera names, in the order they were added. */
  readonly names: readonly string[];
  /** The names now, and after each change. Completes at `close()`. */
  readonly names$: Observable<readonly string[]>;
  /** The camera called `name`; a `RangeError` naming the cameras there are, for any other name. */
  get(name: string): RegisteredCamera;
  /** Adds a camera; a `RangeError` if the name is taken or not 1 to 64 letters, digits, `-` or `_`. */
  add(name: string, config: CameraConfig): RegisteredCamera;
  /** Opens the camera anew with this config; its subscribers go on over the new connection. */
  update(name: string, config: CameraConfig): void;
  /** Releases the camera: its streams complete. */
  remove(name: string): void;
  /** Removes every camera, once and for all. */
  close(): void;
}

/** The configuration of {@link rtspCameras}. */
export interface RtspCamerasConfig {
  /** The capture source of every camera that names none of its own; without it, each camera must name one. */
  readonly source?: CaptureSource;
  /** Cameras to start with, by name. */
  readonly cameras?: Readonly<Record<string, CameraConfig>>;
}

const CAMERA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const { demand$: _demand, ...CONNECTION_RULES } = CONNECTION_OPTION_RULES;
/** A camera's options: a connection's, but for `demand$`, which the registry drives from who takes the camera's frames. */
const CAMERA_OPTION_RULES = { ...CONNECTION_RULES, credentials: RULES.strings('username', 'password') };
const CONFIG_RULES = {
  source: CONNECTION_OPTION_RULES.source,
  cameras: { type: 'an object of cameras by name', isType: (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) },
};

/** A registered camera's moving parts: the connection of its current config, and the end of it all. */
interface Entry {
  readonly camera: RegisteredCamera;
  /** The connection of the camera's current config. */
  readonly current$: BehaviorSubject<RtspConnection>;
  readonly removed$: Subject<void>;
  /** Whether anyone takes the camera's frames, whichever connection it has. */
  readonly demand: CameraDemand;
  /** What keeps the connection open while the camera is registered, counting its metrics. */
  readonly keeper: Subscription;
  readonly metrics$: ReplaySubject<CameraMetrics>;
}

/**
 * The camera registry without a framework: add, update and remove cameras at runtime, one
 * shared connection each. The NestJS module and `rtsp-rx serve` are adapters over it.
 *
 * @throws TypeError or RangeError naming the camera and option, for a bad config.
 *
 * @example
 * ```ts
 * const cameras = rtspCameras({ source: ffmpegCaptureSource(), cameras: { door: { url: 'rtsp://127.0.0.1:8554/door' } } });
 * const frame = await cameras.get('door').snapshot();
 * console.log(frame?.width, frame?.height); // 1920 1080
 * cameras.close();
 * ```
 */
export function rtspCameras(config: RtspCamerasConfig, scheduler: SchedulerLike = asyncScheduler): RtspCameraRegistry {
  return cameraRegistry('rtspCameras', config, scheduler);
}

/** {@link rtspCameras}, with errors that start with `context`: the entry point the user called. */
export function cameraRegistry(context: string, config: RtspCamerasConfig, scheduler: SchedulerLike): RtspCameraRegistry {
  checkOptions(context, config, CONFIG_RULES);
  const entries = new Map<string, Entry>();
  const names$ = new BehaviorSubject<readonly string[]>([]);
  const announce = () => names$.next([...entries.keys()]);

  const connect = (name: string, camera: CameraConfig, demand: CameraDemand): RtspConnection => {
    const cameraContext = `${context} camera ${name}`;
    if (typeof camera !== 'object' || camera === null) throw new TypeError(`rtsp-rx: ${cameraContext} must be an object with a url; got ${String(camera)}`);
    const { url, source = config.source, credentials, ...options } = camera;
    // Checked without the registry's demand$, so that one given in the config is named as unknown.
    checkOptions(cameraContext, { ...options, credentials }, CAMERA_OPTION_RULES);
    // A source neither gives is undefined here: the connection's own check says it is missing.
    return connectionOf(cameraContext, cameraAddress(cameraContext, url, credentials), { ...options, source: source as CaptureSource, demand$: demand.demand$ }, scheduler);
  };
  const entryOf = (name: string): Entry => {
    const entry = entries.get(name);
    if (entry === undefined) throw new RangeError(`rtsp-rx: ${context}: no camera named ${JSON.stringify(name)}; the cameras are ${names$.value.join(', ') || 'none'}`);
    return entry;
  };

  const registry: RtspCameraRegistry = {
    get names() {
      return names$.value;
    },
    names$: names$.asObservable(),
    get: (name) => entryOf(name).camera,
    add(name, camera) {
      if (typeof name !== 'string' || !CAMERA_NAME.test(name)) throw new RangeError(`rtsp-rx: ${context}: camera name ${JSON.stringify(name)} must be 1 to 64 letters, digits, - or _`);
      if (entries.has(name)) throw new RangeError(`rtsp-rx: ${context}: there is a camera named ${name} already; update() changes it`);
      // One demand over the camera's life: whoever takes frames keeps wanting them across updates.
      const demand = new CameraDemand();
      const current$ = new BehaviorSubject(connect(name, camera, demand));
      const removed$ = new Subject<void>();
      const follow = <T>(pick: (connection: RtspConnection) => Observable<T>): Observable<T> =>
        current$.pipe(
          switchMap(pick),
          takeUntil(removed$),
        );
      const latest$ = demand.taking(follow((current) => current.latest$));
      const connection$ = follow((current) => current.connection$);
      const down$ = connection$.pipe(
        filter((state: ConnectionState) => state.status !== 'connected'),
        map(() => undefined),
      );
      const metrics$ = new ReplaySubject<CameraMetrics>(1);
      let metrics!: CameraMetrics;
      // The connection's events counted, but not taken: watching a camera sends no frame.
      const keeper = current$
        .pipe(
          switchMap((current) => current.events$.pipe(catchError(() => EMPTY))),
          cameraMetrics({}, scheduler),
        )
        .subscribe((next) => {
          metrics = next;
          metrics$.next(next);
        });
      const entry: Entry = {
        camera: {
          name,
          frames$: demand.taking(follow((current) => current.frames$)),
          latest$,
          connection$,
          get metrics() {
            return metrics;
          },
          metrics$: metrics$.asObservable(),
          snapshot: () => {
            // Not the frame latest$ replays at once: while nobody took frames, it may be old.
            let subscribing = true;
            const fresh = firstValueFrom(race(latest$.pipe(filter(() => !subscribing)), down$), { defaultValue: undefined });
            subscribing = false;
            return fresh;
          },
        },
        current$,
        removed$,
        demand,
        keeper,
        metrics$,
      };
      entries.set(name, entry);
      announce();
      return entry.camera;
    },
    update(name, camera) {
      const entry = entryOf(name);
      entry.current$.next(connect(name, camera, entry.demand));
    },
    remove(name) {
      const entry = entryOf(name);
      entries.delete(name);
      entry.removed$.next();
      entry.removed$.complete();
      entry.keeper.unsubscribe();
      entry.current$.complete();
      entry.metrics$.complete();
      announce();
    },
    close() {
      for (const name of [...entries.keys()]) registry.remove(name);
      names$.complete();
    },
  };
  checkValue(context, 'option cameras', config.cameras ?? {}, CONFIG_RULES.cameras);
  try {
    for (const [name, camera] of Object.entries(config.cameras ?? {})) registry.add(name, camera);
  } catch (error) {
    // The cameras added before the bad one are released, not left open behind the error.
    registry.close();
    throw error;
  }
  return registry;
}
