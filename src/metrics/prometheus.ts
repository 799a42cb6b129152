import { Counter, Gauge, Registry } from 'prom-client';
import type { ConnectionState } from '../connection-state.js';
import type { CameraMetrics } from '../operators/camera-metrics.js';
import type { RtspCameraRegistry } from '../rtsp-cameras.js';
import { captureProcessUsage, type ProcessUsage } from './process-usage.js';

const STATUSES: ReadonlyArray<ConnectionState['status']> = ['connecting', 'connected', 'reconnecting', 'failed', 'closed'];

/** One camera's figures at a scrape. */
interface Reading {
  readonly camera: string;
  readonly metrics: CameraMetrics;
  readonly usage: ProcessUsage | undefined;
}

/** A metric family read off every camera at each scrape: `value` gives a camera's sample, or none. */
interface Family {
  readonly name: string;
  readonly help: string;
  readonly kind: 'counter' | 'gauge';
  readonly value: (reading: Reading) => number | undefined;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

const FAMILIES: readonly Family[] = [
  { name: 'rtsp_rx_camera_up', kind: 'gauge', help: 'Whether the camera is connected (1) or not (0).', value: ({ metrics }) => Number(metrics.state.status === 'connected') },
  { name: 'rtsp_rx_camera_frames_total', kind: 'counter', help: 'Frames delivered.', value: ({ metrics }) => metrics.frames },
  { name: 'rtsp_rx_camera_dropped_frames_total', kind: 'counter', help: 'Pictures the capture decoded and did not deliver, to stay fresh or keep a rate cap.', value: ({ metrics }) => metrics.dropped },
  { name: 'rtsp_rx_camera_reconnects_total', kind: 'counter', help: 'Reconnect attempts begun.', value: ({ metrics }) => metrics.reconnects },
  { name: 'rtsp_rx_camera_fps', kind: 'gauge', help: 'Frames delivered in the last second.', value: ({ metrics }) => metrics.fps },
  { name: 'rtsp_rx_camera_frame_age_seconds', kind: 'gauge', help: 'How old the newest frame was when it was delivered, from its decoding.', value: ({ metrics }) => seconds(metrics.frameAge) },
  { name: 'rtsp_rx_camera_last_frame_timestamp_seconds', kind: 'gauge', help: 'When the newest frame was delivered, in seconds since the epoch.', value: ({ metrics }) => seconds(metrics.lastFrameAt) },
  { name: 'rtsp_rx_capture_process_cpu_seconds_total', kind: 'counter', help: 'CPU time used by the process that decodes the stream, user and system.', value: ({ usage }) => usage?.cpuSeconds },
  { name: 'rtsp_rx_capture_process_resident_memory_bytes', kind: 'gauge', help: 'Resident memory of the process that decodes the stream.', value: ({ usage }) => usage?.residentBytes },
];

/**
 * Registers the metrics of every camera of `cameras` with a Prometheus registry of prom-client,
 * read afresh at each scrape: the cameras there are then, each labelled `camera`. Cameras added
 * later appear, removed ones go. Besides the families above, `rtsp_rx_camera_state` is 1 for
 * the state a camera is in and 0 for the others (label `state`).
 *
 * @example
 * ```ts
 * const register = new Registry();
 * registerCameraMetrics(cameras, register);
 * createServer(async (request, response) => response.end(await register.metrics())).listen(9464, '127.0.0.1');
 * // rtsp_rx_camera_frames_total{camera="door"} 1500
 * // rtsp_rx_camera_state{camera="door",state="connected"} 1
 * ```
 */
export function registerCameraMetrics(cameras: RtspCameraRegistry, register: Registry = new Registry()): Registry {
  // One reading of every camera per scrape, whichever family asks first.
  let scrape: Promise<readonly Reading[]> | undefined;
  const readings = (): Promise<readonly Reading[]> => {
    scrape ??= Promise.all(
      cameras.names.map(async (camera) => {
        const { metrics } = cameras.get(camera);
        return { camera, metrics, usage: await captureProcessUsage(metrics.state) };
      }),
    ).finally(() => setImmediate(() => (scrape = undefined)));
    return scrape;
  };
  for (const family of FAMILIES) {
    const collect = async function (this: Counter | Gauge): Promise<void> {
      this.reset();
      for (const reading of await readings()) {
        const value = family.value(reading);
        if (value === undefined) continue;
        if (this instanceof Counter) this.inc({ camera: reading.camera }, value);
        else this.set({ camera: reading.camera }, value);
      }
    };
    const config = { name: family.name, help: family.help, labelNames: ['camera'], registers: [register], collect };
    if (family.kind === 'counter') new Counter(config);
    else new Gauge(config);
  }
  new Gauge({
    name: 'rtsp_rx_camera_state',
    help: "The camera's connection state: 1 for the state it is in, 0 for the others.",
    labelNames: ['camera', 'state'],
    registers: [register],
    async collect() {
      this.reset();
      for (const { camera, metrics } of await readings()) {
        for (const state of STATUSES) this.set({ camera, state }, Number(metrics.state.status === state));
      }
    },
  });
  return register;
}
