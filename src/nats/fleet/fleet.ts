import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import type { CameraConfig } from '../../rtsp-cameras.js';

/** A camera of the fleet, as its bucket keeps it: a camera of the registry, without a source object. */
export type FleetCamera = Omit<CameraConfig, 'source' | 'logger'>;

/** What a worker says of itself in the workers bucket, each heartbeat. */
export interface WorkerHeartbeat {
  readonly capacity: number;
  /** Shutting down: give it no camera, take its cameras over. */
  readonly draining: boolean;
}

/** Whose a camera is: the lease's value; its KV revision is the fencing token. */
export interface CameraLease {
  readonly worker: string;
}

/** A camera's last state as its owner published it. */
export interface FleetCameraState {
  readonly worker: string;
  readonly status: string;
  /** Frames delivered by this owner's capture. */
  readonly frames: number;
  /** The lease revision the owner held when it wrote this. */
  readonly lease: number;
}

/** The fleet's buckets: cameras, workers' heartbeats, leases, and each camera's state. */
export interface FleetBuckets {
  readonly cameras: KV;
  readonly workers: KV;
  readonly leases: KV;
  readonly states: KV;
}

/** The subject each start and stop of a capture goes to, for whoever checks the fleet's history. */
export const OWNERSHIP_SUBJECT = 'rtsp-rx.fleet.ownership';

/** One start or stop of a capture, on {@link OWNERSHIP_SUBJECT}. */
export interface OwnershipEvent {
  readonly camera: string;
  readonly worker: string;
  readonly event: 'start' | 'stop';
  readonly lease: number;
  /** The worker's clock. */
  readonly at: number;
}

/**
 * Opens the fleet's KV buckets, creating any that is missing: `PREFIX-cameras` (the camera
 * list), `PREFIX-workers` (heartbeats), `PREFIX-leases` (ownership) and `PREFIX-states`.
 *
 * @example
 * ```ts
 * const fleet = await openFleet(nc);
 * await fleet.cameras.put('door', JSON.stringify({ url: 'rtsp://192.0.2.10/stream1' }));
 * ```
 */
export async function openFleet(nc: NatsConnection, prefix = 'rtsp-rx-fleet'): Promise<FleetBuckets> {
  const kvm = new Kvm(nc);
  const [cameras, workers, leases, states] = await Promise.all(['cameras', 'workers', 'leases', 'states'].map((name) => kvm.create(`${prefix}-${name}`, { history: 1 })));
  return { cameras: cameras!, workers: workers!, leases: leases!, states: states! };
}
