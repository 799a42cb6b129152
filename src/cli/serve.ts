import { watch, type FSWatcher } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { catchError, concatMap, debounceTime, firstValueFrom, from, interval, map, merge, of, skip, Subject, Subscription, switchMap, timeout, type Observable } from 'rxjs';
import { redactUrl } from '../camera-address.js';
import type { CaptureSource } from '../capture-source.js';
import { connectionStateMessage } from '../connection-state-message.js';
import { streamMjpeg } from '../http/stream-mjpeg.js';
import { registerCameraMetrics } from '../metrics/prometheus.js';
import { rtspCameras, type CameraConfig, type RtspCameraRegistry } from '../rtsp-cameras.js';
import type { CamerasFile, FileCamera } from './cameras-file.js';
import { readCamerasFile } from './cameras-file.js';
import { DASHBOARD_PAGE } from './dashboard-page.js';

/** What `rtsp-rx serve` needs: the cameras file, where to listen, and how to make a JPEG capture source. */
export interface ServeOptions {
  readonly config: string;
  readonly host: string;
  /** 0 for a free port. */
  readonly port: number;
  /** A capture source of JPEG pictures, of the size and rate given, if any. */
  readonly jpegSource: (capture: Pick<FileCamera, 'size' | 'maxFps'>) => Promise<CaptureSource>;
  /** Where serve says what happens: the address, each change of a camera's state, reloads and mistakes in the file. */
  readonly log: (line: string) => void;
  /** How long a snapshot waits for a fresh frame. */
  readonly snapshotTimeout: number;
}

/** A running `rtsp-rx serve`. */
export interface Serving {
  /** The dashboard's address. */
  readonly url: string;
  readonly cameras: RtspCameraRegistry;
  /** Stops listening, watching the file and every camera. */
  close(): Promise<void>;
}

/** What the page gets: every camera, on every change of state and once a second. */
interface CamerasUpdate {
  readonly at: number;
  readonly cameras: ReadonlyArray<ReturnType<typeof cameraSummary>>;
}

/**
 * The dashboard of the cameras of a file: the page, each camera's MJPEG and snapshot, the
 * cameras' state as Server-Sent Events and as JSON, and `/metrics` for Prometheus. The file is
 * read again when it changes: cameras come, go or change; a camera whose new entry is wrong
 * keeps its old one, and a file that does not parse changes nothing.
 *
 * Routes: `GET /`, `/events`, `/api/cameras`, `/metrics`, `/cameras/NAME/live.mjpeg`,
 * `/cameras/NAME/snapshot.jpg`.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
  const first = await readCamerasFile(options.config);
  // Every camera has a source of its own, of its size and rate.
  const cameras = rtspCameras({});
  /** Each camera's entry as applied, and its URL with the password masked. */
  const applied = new Map<string, { readonly entry: string; readonly address: string }>();
  const watching = new Subscription();

  const apply = async (file: CamerasFile): Promise<void> => {
    for (const name of cameras.names) {
      if (file[name] !== undefined) continue;
      cameras.remove(name);
      applied.delete(name);
      options.log(`${name}: removed`);
    }
    for (const [name, camera] of Object.entries(file)) {
      const entry = JSON.stringify(camera);
      if (applied.get(name)?.entry === entry) continue;
      try {
        const config = await cameraConfig(camera, options);
        if (applied.has(name)) cameras.update(name, config);
        else {
          cameras.add(name, config);
          watching.add(logStates(cameras, name, options.log));
        }
        applied.set(name, { entry, address: redactUrl(camera.url) });
      } catch (error) {
        options.log(`${options.config}: camera ${name}: ${(error as Error).message.replace(/^rtsp-rx: /, '')}; ${applied.has(name) ? 'it keeps its last good entry' : 'it is not added'}`);
      }
    }
  };
  await apply(first);

  const register = registerCameraMetrics(cameras, new Registry());
  collectDefaultMetrics({ register });

  const updates$ = cameras.names$.pipe(
    // On every change of a camera's state, and once a second for the figures.
    switchMap((names) => merge(of(0), interval(1000), ...names.map((name) => cameras.get(name).connection$.pipe(skip(1))))),
    map((): CamerasUpdate => ({ at: Date.now(), cameras: cameras.names.map((name) => cameraSummary(cameras, name, applied.get(name)?.address ?? '')) })),
  );

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`${(error as Error).message}\n`);
    });
  });
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (request.method !== 'GET') return answer(response, 405, 'only GET\n');
    const [first, name, file] = path;
    if (path.length === 0) return answer(response, 200, DASHBOARD_PAGE, 'text/html; charset=utf-8');
    if (path.length === 1 && first === 'events') return sendEvents(response, updates$);
    if (path.length === 1 && first === 'metrics') return answer(response, 200, await register.metrics(), register.contentType);
    if (path.length === 2 && first === 'api' && name === 'cameras') return answer(response, 200, JSON.stringify((await firstValueFrom(updates$)).cameras), 'application/json');
    if (path.length === 3 && first === 'cameras' && name !== undefined) {
      if (!cameras.names.includes(name)) return answer(response, 404, `no camera named ${name}; the cameras are ${cameras.names.join(', ')}\n`);
      const camera = cameras.get(name);
      if (file === 'live.mjpeg') return void streamMjpeg(camera.frames$, response);
      if (file === 'snapshot.jpg') {
        const frame = await firstValueFrom(from(camera.snapshot()).pipe(timeout(options.snapshotTimeout), catchError(() => of(undefined))));
        if (frame === undefined) return answer(response, 503, `${name} has no frame to give: ${camera.metrics.state.status}\n`);
        return answer(response, 200, frame.data, 'image/jpeg');
      }
    }
    return answer(response, 404, 'not found\n');
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as { port: number };
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/`;

  const reload = watchFile(options.config, async () => {
    try {
      await apply(await readCamerasFile(options.config));
      options.log(`${options.config}: read again; cameras ${cameras.names.join(', ') || 'none'}`);
    } catch (error) {
      options.log(`${(error as Error).message}; the cameras stay as they were`);
    }
  });

  return {
    url,
    cameras,
    close: async () => {
      reload.close();
      watching.unsubscribe();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      cameras.close();
    },
  };
}

/** A camera of the file as the registry takes it: a JPEG source of its own size and rate. */
async function cameraConfig(camera: FileCamera, options: ServeOptions): Promise<CameraConfig> {
  const { size, maxFps, ...config } = camera;
  return { ...config, source: await options.jpegSource({ ...(size === undefined ? {} : { size }), ...(maxFps === undefined ? {} : { maxFps }) }) };
}

/** One camera as the page and `/api/cameras` show it. */
function cameraSummary(cameras: RtspCameraRegistry, name: string, address: string) {
  const { state, stateSince, frames, dropped, reconnects, fps, lastFrameAt, frameAge, lastError } = cameras.get(name).metrics;
  return { name, address, state: connectionStateMessage(state), stateSince, frames, dropped, reconnects, fps, lastFrameAt: lastFrameAt ?? null, frameAge: frameAge ?? null, lastError: lastError ?? null };
}

/** A line for each change of the camera's state, until it is removed. */
function logStates(cameras: RtspCameraRegistry, name: string, log: (line: string) => void): Subscription {
  return cameras
    .get(name)
    .connection$.subscribe((state) => log(`${name}: ${state.status}${'cause' in state ? ` (${state.cause.code}: ${state.cause.message})` : ''}`));
}

function answer(response: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  response.end(body);
}

function sendEvents(response: ServerResponse, updates$: Observable<CamerasUpdate>): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
  const subscription = updates$.subscribe((update) => response.write(`event: cameras\ndata: ${JSON.stringify(update)}\n\n`));
  response.once('close', () => subscription.unsubscribe());
}

/**
 * Calls `changed` after the file changes, once its writes settle. Watches the directory, for
 * editors replace a file rather than write into it.
 */
function watchFile(file: string, changed: () => Promise<void>): { close(): void } {
  const changes$ = new Subject<void>();
  const watcher: FSWatcher = watch(dirname(file), (_event, name) => name === basename(file) && changes$.next());
  const reloading = changes$.pipe(debounceTime(200), concatMap(changed)).subscribe();
  return {
    close: () => {
      watcher.close();
      reloading.unsubscribe();
    },
  };
}
