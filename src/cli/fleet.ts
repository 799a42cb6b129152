import { hostname } from 'node:os';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { redactUrl } from '../camera-address.js';
import type { CaptureSource } from '../capture-source.js';
import { openFleet, type FleetBuckets, type FleetCamera, type FleetCameraState } from '../nats/fleet/fleet.js';
import { startFleetWorker, type FleetWorker } from '../nats/fleet/fleet-worker.js';

/** The fleet's buckets on the server at `url`, and the connection to close when done. */
export async function connectFleet(url: string): Promise<{ nc: NatsConnection; fleet: FleetBuckets }> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  return { nc, fleet: await openFleet(nc) };
}

/** `rtsp-rx fleet list`: each camera, its owner and state, a line each. */
export async function listFleet(fleet: FleetBuckets): Promise<string[]> {
  const lines = [];
  for await (const name of await fleet.cameras.keys()) {
    const camera = (await fleet.cameras.get(name))?.json<FleetCamera>();
    if (camera === undefined) continue;
    const state = (await fleet.states.get(name))?.json<FleetCameraState>();
    const owner = (await fleet.leases.get(name))?.operation === 'PUT' ? state : undefined;
    lines.push(`${name}: ${redactUrl(camera.url)}; ${owner === undefined ? 'not captured' : `${owner.status} on ${owner.worker}, ${owner.frames} frames`}`);
  }
  return lines.sort();
}

/**
 * `rtsp-rx worker`: a fleet worker until SIGINT or SIGTERM, which drain it: its cameras go to
 * the other workers at once.
 */
export async function runWorker(options: { readonly nats: string; readonly id?: string; readonly capacity: number; readonly source: CaptureSource; readonly log: (line: string) => void }, stopped: Promise<unknown>): Promise<void> {
  const { nc, fleet } = await connectFleet(options.nats);
  const worker: FleetWorker = await startFleetWorker({ nc, fleet, id: options.id ?? `${hostname()}-${process.pid}`, capacity: options.capacity, sourceFor: () => options.source, log: options.log });
  options.log(`worker ${worker.id} on ${options.nats}, up to ${options.capacity} cameras`);
  await stopped;
  await worker.drain();
  await nc.drain();
  options.log(`worker ${worker.id}: drained`);
}
