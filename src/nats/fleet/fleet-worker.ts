import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { KV, KvWatchEntry } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Subscription } from 'rxjs';
import type { CaptureSource } from '../../capture-source.js';
import { rtspCameras, type RegisteredCamera } from '../../rtsp-cameras.js';
import { checkOptions, checkValue, RULES } from '../../validation.js';
import { assignCameras } from './assign-cameras.js';
import { OWNERSHIP_SUBJECT, type CameraLease, type FleetBuckets, type FleetCamera, type FleetCameraState, type OwnershipEvent, type WorkerHeartbeat } from './fleet.js';

/** Options of {@link startFleetWorker}. Times in milliseconds. */
export interface FleetWorkerOptions {
  readonly nc: NatsConnection;
  readonly fleet: FleetBuckets;
  /** Unique in the fleet: a host name and process id, say. */
  readonly id: string;
  /** Cameras it captures at most. */
  readonly capacity: number;
  /** The capture source of a camera. */
  readonly sourceFor: (camera: FleetCamera) => CaptureSource;
  /** What to do with a camera while this worker captures it (detections, snapshots): its subscription ends when the camera goes. Default: watch it only. */
  readonly onCamera?: (camera: RegisteredCamera) => Subscription;
  /**
   * Cameras it starts capturing in one round at most. Opening many at once (a capture process
   * each, a burst of CPU) can hold the event loop long enough for leases to lapse. Default 20.
   */
  readonly openAtOnce?: number;
  /** A lease not renewed for this long is free to take; a worker that could not renew for this long stops the capture. Default 3000. */
  readonly leaseTime?: number;
  /** How often leases are renewed, heartbeats and states written. Default 1000. */
  readonly renewEvery?: number;
  readonly log?: (line: string) => void;
}

/** A running worker of the fleet. */
export interface FleetWorker {
  readonly id: string;
  /** The cameras it captures now. */
  readonly owned: readonly string[];
  /** Hands every camera over (its leases deleted, so others take them at once) and stops. */
  drain(): Promise<void>;
}

/** A camera this worker captures: the lease revision it holds (the fencing token), and when it sent the last renewal that held. */
interface Held {
  revision: number;
  renewedAt: number;
  /** The renewal under way, if any: the next needs its revision. */
  renewal: Promise<void> | undefined;
  readonly work: Subscription | undefined;
}

/** Someone else's key as this worker saw it last: its value, revision, and when it changed, by this worker's clock. */
interface Seen<T> {
  readonly value: T;
  readonly revision: number;
  readonly changedAt: number;
  /** When this worker first saw it, by its clock. */
  readonly since: number;
}

const OPTION_RULES = {
  nc: RULES.methods('publish', 'subscribe'),
  fleet: RULES.strings(),
  id: RULES.text,
  capacity: RULES.wholeAbove0,
  openAtOnce: RULES.wholeAbove0,
  sourceFor: RULES.function,
  onCamera: RULES.function,
  leaseTime: RULES.period,
  renewEvery: RULES.period,
  log: RULES.function,
};

/**
 * A worker of the camera fleet. Every `renewEvery` it writes its heartbeat, renews the lease of
 * each camera it captures (compare-and-swap on the lease's revision, the fencing token), and
 * works out from the cameras and live workers it sees which cameras are its own (rendezvous
 * hashing within capacities, {@link assignCameras}). It takes a camera whose lease is free or
 * lapsed, and gives back one that is now another live worker's. A failed renewal, or none for
 * `leaseTime`, stops that capture at once: another worker has it, or soon will.
 *
 * @example
 * ```ts
 * const worker = await startFleetWorker({ nc, fleet: await openFleet(nc), id: `${hostname()}-${process.pid}`, capacity: 50, sourceFor: () => source });
 * process.once('SIGTERM', () => void worker.drain().then(() => nc.drain()));
 * ```
 */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  checkOptions('startFleetWorker', options, OPTION_RULES);
  for (const required of ['nc', 'fleet', 'id', 'capacity', 'sourceFor'] as const) checkValue('startFleetWorker', `option ${required}`, options[required], OPTION_RULES[required]);
  const { nc, fleet, id, capacity } = options;
  const openAtOnce = options.openAtOnce ?? 20;
  const leaseTime = options.leaseTime ?? 3000;
  const renewEvery = options.renewEvery ?? 1000;
  if (renewEvery * 2 > leaseTime) throw new RangeError(`rtsp-rx: startFleetWorker: option leaseTime (${leaseTime}) must be at least twice renewEvery (${renewEvery})`);
  const log = options.log ?? (() => undefined);

  const cameras = new Map<string, Seen<FleetCamera>>();
  const workers = new Map<string, Seen<WorkerHeartbeat>>();
  const leases = new Map<string, Seen<CameraLease>>();
  const held = new Map<string, Held>();
  const registry = rtspCameras({});
  let draining = false;

  // Lease times on a clock that wall-clock steps (NTP) cannot move.
  const clock = () => performance.now();
  const leaseValue = JSON.stringify({ worker: id } satisfies CameraLease);
  const follow = async <T>(kv: KV, into: Map<string, Seen<T>>): Promise<() => void> => {
    const watch = await kv.watch();
    void (async () => {
      for await (const entry of watch as AsyncIterable<KvWatchEntry>) {
        if (entry.operation !== 'PUT') into.delete(entry.key);
        else {
          let value: T;
          try {
            value = entry.json<T>();
          } catch {
            // Someone wrote the bucket by hand: said once per write, the entry left alone.
            log(`${entry.key}: not JSON in ${entry.bucket}, ignored`);
            continue;
          }
          into.set(entry.key, { value, revision: entry.revision, changedAt: clock(), since: into.get(entry.key)?.since ?? clock() });
        }
      }
    })();
    return () => watch.stop();
  };
  const unwatch = await Promise.all([follow(fleet.cameras, cameras), follow(fleet.workers, workers), follow(fleet.leases, leases)]);

  const announce = (camera: string, event: OwnershipEvent['event'], lease: number): void =>
    nc.publish(OWNERSHIP_SUBJECT, JSON.stringify({ camera, worker: id, event, lease, at: Date.now() } satisfies OwnershipEvent));

  /** Cameras whose entry the registry refused, by the entry's revision: not tried again until it changes. */
  const refused = new Map<string, number>();

  const start = async (name: string, revision: number, leasedAt: number): Promise<void> => {
    // An answer that came after a freeze may be for a lease another worker has taken since.
    if (clock() - leasedAt >= leaseTime) {
      await fleet.leases.delete(name, { previousSeq: revision }).catch(() => undefined);
      return;
    }
    const entry = cameras.get(name)!;
    let work: Subscription | undefined;
    try {
      const camera: RegisteredCamera = registry.add(name, { ...entry.value, source: options.sourceFor(entry.value) });
      try {
        work = options.onCamera?.(camera);
      } catch (error) {
        registry.remove(name);
        throw error;
      }
    } catch (error) {
      refused.set(name, entry.revision);
      log(`${name}: cannot be captured: ${(error as Error).message}`);
      await fleet.leases.delete(name, { previousSeq: revision }).catch(() => undefined);
      return;
    }
    held.set(name, { revision, renewedAt: leasedAt, renewal: undefined, work });
    announce(name, 'start', revision);
    log(`${name}: captured (lease ${revision})`);
  };
  const stop = (name: string, why: string): Held | undefined => {
    const mine = held.get(name);
    if (mine === undefined) return undefined;
    held.delete(name);
    // The capture first: whatever the user's teardown or the connection does next, it has stopped.
    registry.remove(name);
    try {
      mine.work?.unsubscribe();
    } catch (error) {
      log(`${name}: onCamera's teardown failed: ${(error as Error).message}`);
    }
    try {
      announce(name, 'stop', mine.revision);
    } catch {
      // The connection is closed or draining: nobody to tell.
    }
    log(`${name}: stopped (${why})`);
    return mine;
  };
  const release = async (name: string, why: string): Promise<void> => {
    const mine = stop(name, why);
    if (mine === undefined) return;
    // Deleted only if still ours (a renewal under way changes the revision), so the next owner
    // need not wait for the lease to lapse.
    await mine.renewal;
    await fleet.leases.delete(name, { previousSeq: mine.revision }).catch(() => undefined);
  };

  // A worker frozen past its leases (a stopped process, a long pause) stops those captures
  // first thing, before anything it waits for can come back.
  const fence = (): void => {
    for (const [name, mine] of held) if (clock() - mine.renewedAt > leaseTime) release(name, 'the lease lapsed').catch((error: unknown) => log(`${name}: ${(error as Error).message}`));
  };

  const renewLease = (name: string, mine: Held): void => {
    // Counted from the request, not the answer: the server may have stored it long before a slow answer came.
    const sentAt = clock();
    mine.renewal = fleet.leases
      .update(name, leaseValue, mine.revision)
      .then(
        (revision) => {
          mine.revision = revision;
          mine.renewedAt = sentAt;
        },
        (error: unknown) => {
          // Taken: another worker holds it now. Anything else (the server away, a timeout)
          // proves nothing; the fence stops the capture once the lease has lapsed.
          if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamWrongLastSequence) {
            if (held.get(name) === mine) stop(name, 'the lease was taken');
          } else log(`${name}: could not renew the lease: ${(error as Error).message}`);
        },
      )
      .finally(() => (mine.renewal = undefined));
  };

  let heartbeat: Promise<unknown> | undefined;
  let statesWritten: Promise<unknown> | undefined;
  const beat = () => fleet.workers.put(id, JSON.stringify({ capacity, draining } satisfies WorkerHeartbeat));
  /**
   * Heartbeat, leases and states, sent every `renewEvery` whatever the balancing does and
   * however slow the answers: each lease is renewed again as soon as its last renewal is
   * answered, so slow answers never add up to a lapsed lease.
   */
  const renew = (): void => {
    fence();
    heartbeat ??= beat()
      .catch((error: unknown) => log(`could not write the heartbeat: ${(error as Error).message}`))
      .finally(() => (heartbeat = undefined));
    for (const [name, mine] of held) if (mine.renewal === undefined) renewLease(name, mine);
    statesWritten ??= Promise.all(
      [...held].map(([name, mine]) => {
        const { state, frames } = registry.get(name).metrics;
        return fleet.states.put(name, JSON.stringify({ worker: id, status: state.status, frames, lease: mine.revision } satisfies FleetCameraState));
      }),
    )
      .catch((error: unknown) => log(`could not write the states: ${(error as Error).message}`))
      .finally(() => (statesWritten = undefined));
  };

  /** Gives back what is now another's, takes what is now this worker's. */
  const balance = async (): Promise<void> => {
    if (draining) return;
    const now = clock();
    const live = [...workers]
      .filter(([worker, seen]) => worker === id || (now - seen.changedAt < leaseTime && !seen.value.draining))
      .map(([worker, seen]) => ({ id: worker, capacity: seen.value.capacity, settled: worker === id || now - seen.since >= 2 * renewEvery }));
    const assignment = assignCameras([...cameras.keys()], live);
    const settled = new Set(live.filter((worker) => worker.settled).map((worker) => worker.id));

    await Promise.all(
      [...held.keys()].map((name) => {
        const owner = assignment.get(name);
        if (!cameras.has(name)) return release(name, 'removed from the fleet');
        // Given up only to a worker seen alive for a while, so a flicker moves nothing.
        if (owner !== id && owner !== undefined && settled.has(owner)) return release(name, `now ${owner}'s`);
        return undefined;
      }),
    );
    // Another's lease lapses an interval later than its holder's fence: the holder checks once
    // an interval, so it may stop up to one interval after leaseTime.
    const takeable = (name: string) => {
      const lease = leases.get(name);
      return lease === undefined || lease.value.worker === id || now - lease.changedAt >= leaseTime + renewEvery;
    };
    const mine = [...assignment]
      .filter(([name, owner]) => owner === id && !held.has(name) && refused.get(name) !== cameras.get(name)?.revision && takeable(name))
      .map(([name]) => name)
      .slice(0, openAtOnce);
    await Promise.all(
      mine.map(async (name) => {
        const lease = leases.get(name);
        try {
          const sentAt = clock();
          if (lease === undefined) await start(name, await fleet.leases.create(name, leaseValue), sentAt);
          else await start(name, await fleet.leases.update(name, leaseValue, lease.revision), sentAt);
        } catch {
          // Another worker was quicker, or the owner renewed: the next round sees which.
        }
      }),
    );
  };

  // Balancing that outlasts the interval (a slow server, a busy machine) is not queued behind:
  // the next starts when one is due and the last is over.
  let balancing: Promise<void> | undefined;
  const rebalance = (): void => {
    const startedAt = clock();
    balancing ??= balance()
      .catch((error: unknown) => log(`balancing failed: ${(error as Error).message}`))
      .finally(() => {
        balancing = undefined;
        const took = Math.round(clock() - startedAt);
        if (took > renewEvery) log(`balancing took ${took} ms, more than the ${renewEvery} ms between renewals`);
      });
  };
  renew();
  rebalance();
  const renewTimer = setInterval(renew, renewEvery);
  const balanceTimer = setInterval(rebalance, renewEvery);

  return {
    id,
    get owned() {
      return [...held.keys()];
    },
    drain: async () => {
      draining = true;
      clearInterval(balanceTimer);
      await balancing;
      // Said first, so the others assign it nothing more; renewals and the fence go on until
      // every camera is given back.
      await beat().catch(() => undefined);
      await Promise.all([...held.keys()].map((name) => release(name, 'draining')));
      clearInterval(renewTimer);
      await Promise.all([heartbeat, statesWritten]);
      await fleet.workers.delete(id).catch(() => undefined);
      unwatch.forEach((stopWatching) => stopWatching());
      registry.close();
    },
  };
}
