import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * Options of {@link startTestCamera}. Everything is optional: by default a 320x240, 25 fps
 * H.264 camera with a keyframe every second, at `/cam` on a free port.
 *
 * @example
 * ```ts
 * const doorbell: TestCameraOptions = { width: 1920, height: 1080, codec: 'h265', auth: { user: 'viewer', password: 'secret' } };
 * ```
 */
export interface TestCameraOptions {
  /** Default 320. */
  readonly width?: number;
  /** Default 240. */
  readonly height?: number;
  /** Frames per second. Default 25. */
  readonly fps?: number;
  /** Frames between keyframes. Default 25. */
  readonly gop?: number;
  /** Basic authentication. The camera's `url` carries them, percent-encoded. */
  readonly auth?: { readonly user: string; readonly password: string };
  /** Default: a free port chosen by the system. */
  readonly port?: number;
  /** Default `/cam`. */
  readonly path?: string;
  /** Encoding. Default `h264`. */
  readonly codec?: 'h264' | 'h265' | 'mjpeg';
  /** Instead of stamped frames, videotestsrc's picture of this name, such as `ball` or `red`. */
  readonly pattern?: string;
  /** Serve this Matroska H.264 file instead, in real time. */
  readonly recording?: string;
  /**
   * One stream for all clients (default for the test picture), or one per client. A shared
   * recording plays once, as a live camera would; an unshared one starts anew for each client.
   */
  readonly shared?: boolean;
  /**
   * The RTP transports the server accepts: `udp` refuses RTP over TCP (interleaved) and `tcp`
   * refuses UDP, answering SETUP with `461 Unsupported transport`, as some real cameras do.
   * Default `both`.
   */
  readonly transports?: 'tcp' | 'udp' | 'both';
  /**
   * Where H.264 and H.265 parameter sets travel: in the SDP's `sprop-*` attributes and in-band
   * (default), or `in-band` only, as with cameras whose SDP leaves them out.
   */
  readonly parameterSets?: 'sdp' | 'in-band';
  /** A G.711 sound track beside the picture, as most cameras have. */
  readonly audio?: boolean;
}

/**
 * A running test camera and the faults it can be put through.
 *
 * @example
 * ```ts
 * camera.pause();           // frozen: the connection stays open, nothing is sent
 * camera.resume();
 * await camera.restart({ width: 640, height: 480 }); // the stream changes size
 * await camera.close();
 * ```
 */
export interface TestCamera {
  /** The URL to open, credentials included when the camera has some. */
  readonly url: string;
  readonly port: number;
  /** The server process's id, while it runs. */
  readonly pid: number | undefined;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is sent. */
  pause(): void;
  /** Thaws a paused server (SIGCONT). */
  resume(): void;
  /** Kills the server (SIGKILL) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts the server again on the same port, with some settings changed if given. */
  restart(changes?: Omit<TestCameraOptions, 'port' | 'auth'>): Promise<void>;
  /**
   * Stops the server for good. Rejects when the server had died on its own (a crash, not
   * `kill()`), naming its exit and its last complaint, so a test blames the simulator rather
   * than the client.
   */
  close(): Promise<void>;
}

// @ts-ignore import.meta is rewritten for the CommonJS build by scripts/build.mjs
const moduleUrl: string = import.meta.url;
/** The GStreamer side, beside this module in `src/` and in both `dist/` trees. */
const SERVER = fileURLToPath(new URL('./rtsp-camera.py', moduleUrl));
/** Debian's Python, which has the GStreamer bindings; another python3 may come first on PATH. */
const PYTHON = '/usr/bin/python3';

/**
 * Starts the camera simulator, an RTSP camera on 127.0.0.1 for tests, demos and benchmarks.
 * By default every frame carries its index and the time it was sent, drawn in its pixels
 * (read back with `readStamp`), H.264 encoded, one encoder shared by all clients. The
 * returned camera can be frozen, killed and restarted, to test how an application rides out
 * an outage. It ends with the process that started it.
 *
 * It runs GStreamer's RTSP server under Debian's `/usr/bin/python3`, which needs these Debian
 * packages: `gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi python3-gst-1.0
 * python3-numpy gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly
 * gstreamer1.0-plugins-bad`.
 *
 * @throws Error when the server cannot start (a package missing, the port taken), with its
 * complaint.
 *
 * @example
 * ```ts
 * const camera = await startTestCamera({ width: 640, height: 480, fps: 25 });
 * const frame = await firstValueFrom(rtspFrames$(camera.url, { source: opencvCaptureSource() }));
 * console.log(camera.url, `${frame.width}x${frame.height}`, readStamp(frame));
 * // rtsp://127.0.0.1:36411/cam 640x480 { index: 12, sentAt: 1767225600480 }
 * await camera.close();
 * ```
 */
export async function startTestCamera(options: TestCameraOptions = {}): Promise<TestCamera> {
  let config = { width: 320, height: 240, fps: 25, gop: 25, path: '/cam', port: 0, ...options };
  let server: ChildProcess | undefined;
  let died: string | undefined;

  const launch = async (port: number): Promise<number> => {
    const child = spawn(PYTHON, [SERVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    server = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // stdin stays open: the simulator exits when it closes, so it cannot outlive this process.
    child.stdin!.write(`${JSON.stringify({ ...config, port })}\n`);
    child.stdin!.on('error', () => undefined);
    child.once('exit', (code, signal) => {
      if (server === child) died ??= `the test camera died on its own (${signal ?? `exit code ${code}`})${stderr.trim() ? `: ${stderr.trim().slice(-2000)}` : ''}`;
    });
    return new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`test camera exited with ${code}: ${stderr.trim()}`)));
    });
  };

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const child = server;
    server = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill(signal);
    await once(child, 'exit');
  };

  const port = await launch(config.port);
  const credentials = config.auth === undefined ? '' : `${encodeURIComponent(config.auth.user)}:${encodeURIComponent(config.auth.password)}@`;
  return {
    url: `rtsp://${credentials}127.0.0.1:${port}${config.path}`,
    port,
    get pid() {
      return server?.pid;
    },
    pause: () => void server?.kill('SIGSTOP'),
    resume: () => void server?.kill('SIGCONT'),
    kill: () => stop('SIGKILL'),
    restart: async (changes = {}) => {
      await stop('SIGKILL');
      config = { ...config, ...changes };
      await launch(port);
    },
    close: async () => {
      await stop('SIGTERM');
      if (died !== undefined) throw new Error(died);
    },
  };
}
