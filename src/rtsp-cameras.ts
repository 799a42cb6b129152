import { asyncScheduler, BehaviorSubject, filter, firstValueFrom, map, race, Subject, switchMap, takeUntil, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { CaptureSource, Frame } from './capture-source.js';
import type { ConnectionState } from './connection-state.js';
import { CONNECTION_OPTION_RULES, type RtspConnectionOptions } from './options.js';
import { connectionOf, type RtspConnection } from './rtsp-connection.js';
import { checkOptions, checkValue } from './validation.js';

/** One camera of {@link rtspCameras}: its URL, and a connection's options; `source` defaults to the registry's. */
export interface CameraConfig extends Omit<RtspConnectionOptions, 'source' | 'demand$'> {
  readonly url: string;
  readonly source?: CaptureSource;
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
  /** The capture source of every camera that names none of its own. */
  readonly source: CaptureSource;
  /** Cameras to start with, by name. */
  readonly cameras?: Readonly<Record<string, CameraConfig>>;
}

const CAMERA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
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
  /** What keeps the connection open while the camera is registered. */
  keeper: Subscription;
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
  checkOptions('rtspCameras', config, CONFIG_RULES);
  checkValue('rtspCameras', 'option source', config.source, CONFIG_RULES.source);
  const entries = new Map<string, Entry>();
  const names$ = new BehaviorSubject<readonly string[]>([]);
  const announce = () => names$.next([...entries.keys()]);

  const connect = (name: string, camera: CameraConfig): RtspConnection => {
    const context = `rtspCameras camera ${name}`;
    if (typeof camera !== 'object' || camera === null) throw new TypeError(`rtsp-rx: ${context} must be an object with a url; got ${String(camera)}`);
    const { url, source = config.source, ...options } = camera;
    return connectionOf(context, url, { ...options, source }, scheduler);
  };
  const keepOpen = (connection: RtspConnection): Subscription => connection.connection$.subscribe({ error: () => undefined });
  const entryOf = (name: string): Entry => {
    const entry = entries.get(name);
    if (entry === undefined) throw new RangeError(`rtsp-rx: rtspCameras: no camera named ${JSON.stringify(name)}; the cameras are ${names$.value.join(', ') || 'none'}`);
    return entry;
  };

  const registry: RtspCameraRegistry = {
    get names() {
      return names$.value;
    },
    names$: names$.asObservable(),
    get: (name) => entryOf(name).camera,
    add(name, camera) {
      if (typeof name !== 'string' || !CAMERA_NAME.test(name)) throw new RangeError(`rtsp-rx: rtspCameras: camera name ${JSON.stringify(name)} must be 1 to 64 letters, digits, - or _`);
      if (entries.has(name)) throw new RangeError(`rtsp-rx: rtspCameras: there is a camera named ${name} already; update() changes it`);
      const connection = connect(name, camera);
      const current$ = new BehaviorSubject(connection);
      const removed$ = new Subject<void>();
      const follow = <T>(pick: (connection: RtspConnection) => Observable<T>): Observable<T> =>
        current$.pipe(
          switchMap(pick),
          takeUntil(removed$),
        );
      const latest$ = follow((current) => current.latest$);
      const connection$ = follow((current) => current.connection$);
      const down$ = connection$.pipe(
        filter((state: ConnectionState) => state.status !== 'connected'),
        map(() => undefined),
      );
      const entry: Entry = {
        camera: {
          name,
          frames$: follow((current) => current.frames$),
          latest$,
          connection$,
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
        keeper: keepOpen(connection),
      };
      entries.set(name, entry);
      announce();
      return entry.camera;
    },
    update(name, camera) {
      const entry = entryOf(name);
      const connection = connect(name, camera);
      const previous = entry.keeper;
      entry.keeper = keepOpen(connection);
      entry.current$.next(connection);
      previous.unsubscribe();
    },
    remove(name) {
      const entry = entryOf(name);
      entries.delete(name);
      entry.removed$.next();
      entry.removed$.complete();
      entry.current$.complete();
      entry.keeper.unsubscribe();
      announce();
    },
    close() {
      for (const name of [...entries.keys()]) registry.remove(name);
      names$.complete();
    },
  };
  checkValue('rtspCameras', 'option cameras', config.cameras ?? {}, CONFIG_RULES.cameras);
  for (const [name, camera] of Object.entries(config.cameras ?? {})) registry.add(name, camera);
  return registry;
}
